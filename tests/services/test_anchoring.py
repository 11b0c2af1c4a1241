"""Anchoring at the service level: when a provision gets a new version, each root comment of
the provision gets exactly one cached placement (a CommentAnchor) on it, computed from the
version the comment was made on; replies get none; unchanged provisions cost nothing.

The placements themselves are the domain's (tests/domain/test_anchors.py); here only what the
service stores, and when.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from redline.domain.drafts.reading import parse_draft
from redline.domain.text.anchors import Placement, relocate_many
from redline.models import AuditEvent, Comment, CommentAnchor, Version
from redline.services import anchoring, comments, imports, placement, versions
from tests.comment_helpers import comment, edit, record, reply


def _anchors(session, version_id: int) -> dict[int, Placement]:
    rows = session.scalars(sa.select(CommentAnchor).where(CommentAnchor.version_id == version_id))
    out: dict[int, Placement] = {}
    for a in rows:
        assert a.comment_id not in out, "two anchors for one comment on one version"
        out[a.comment_id] = Placement(a.status, a.start, a.end)
    return out


def _expected(session, version: Version) -> dict[int, Placement]:
    """What the domain says for every root comment made on another version of the provision."""
    roots = session.scalars(
        sa.select(Comment).where(
            Comment.provision_id == version.provision_id,
            Comment.parent_id.is_(None),
            Comment.version_id != version.id,
        )
    ).all()
    if version.removed:
        return {c.id: Placement("orphaned") for c in roots}
    return {
        c.id: relocate_many([placement.quote_of(c)], c.version.text, version.text)[0] for c in roots
    }


@pytest.fixture
def spy(monkeypatch):
    """Every (original, target) pair the service asks the domain to place quotes on."""
    calls: list[tuple[str, str, int]] = []

    def relocate(quotes, original, target):
        calls.append((original, target, len(quotes)))
        return relocate_many(quotes, original, target)

    monkeypatch.setattr(placement, "relocate_many", relocate)
    return calls


# --- saving a version ------------------------------------------------------------------------


def test_a_saved_version_caches_one_anchor_per_root_comment(db_session, users):
    rec = record(db_session, users)
    kept = comment(db_session, users, rec, "drafter", "competent authorities")
    touched = comment(db_session, users, rec, "drafter", "issue an order")
    gone = comment(db_session, users, rec, "secretariat", " in the territory of another Party,")
    reply(db_session, users, rec, "secretariat", kept)
    reply(db_session, users, rec, "drafter", touched)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(CommentAnchor)) == 0

    v2 = edit(
        db_session,
        users,
        rec,
        rec.version.text.replace("issue an order", "issue a binding order").replace(
            " in the territory of another Party,", ""
        ),
    )

    placed = _anchors(db_session, v2.id)
    assert set(placed) == {kept.id, touched.id, gone.id}  # the replies have none
    assert placed == _expected(db_session, v2)
    assert placed[kept.id].status == "anchored"
    assert placed[touched.id].exact_in(v2.text) == "issue a binding order"
    assert placed[gone.id] == Placement("orphaned")
    total = db_session.scalar(sa.select(sa.func.count()).select_from(CommentAnchor))
    assert total == 3


def test_comments_on_different_versions_are_each_placed_from_their_own(db_session, users, spy):
    rec = record(db_session, users)
    on_v1 = comment(db_session, users, rec, "drafter", "competent authorities")
    v2 = edit(db_session, users, rec, rec.version.text.replace("an order", "a production order"))
    on_v2 = comment(db_session, users, rec, "drafter", "a production order", version=v2)
    spy.clear()

    v3 = edit(db_session, users, rec, "Preliminary words. " + v2.text)

    placed = _anchors(db_session, v3.id)
    assert set(placed) == {on_v1.id, on_v2.id}
    assert placed == _expected(db_session, v3)
    assert placed[on_v2.id].exact_in(v3.text) == "a production order"
    # One call per version the comments were made on: v1 -> v3 and v2 -> v3.
    assert sorted((o, t) for o, t, _ in spy) == sorted(
        [(rec.version.text, v3.text), (v2.text, v3.text)]
    )
    # The comments on v3's own text get no anchor on v3; the earlier anchors stay as they were.
    on_v3 = comment(db_session, users, rec, "drafter", "Preliminary words.", version=v3)
    assert on_v3.id not in _anchors(db_session, v3.id)
    assert set(_anchors(db_session, v2.id)) == {on_v1.id}


def test_a_removed_provision_orphans_every_root_comment_without_diffing(db_session, users, spy):
    rec = record(db_session, users)
    first = comment(db_session, users, rec, "drafter", "competent authorities")
    second = comment(db_session, users, rec, "secretariat", "service provider")
    reply(db_session, users, rec, "drafter", first)
    spy.clear()

    removed = versions.remove_provision(
        db_session, rec.provision, base_version_id=rec.version.id, author=users["drafter"]
    )
    db_session.commit()

    assert _anchors(db_session, removed.id) == {
        first.id: Placement("orphaned"),
        second.id: Placement("orphaned"),
    }
    assert spy == []


def test_a_version_with_no_comments_inserts_nothing(db_session, users, spy):
    rec = record(db_session, users)
    v2 = edit(db_session, users, rec, rec.version.text + " Nothing else.")
    assert anchoring.place_comments(db_session, v2) == 0
    assert _anchors(db_session, v2.id) == {}
    assert spy == []


def test_a_comment_on_an_older_version_is_placed_on_each_later_one(db_session, users):
    rec = record(db_session, users)
    v2 = edit(db_session, users, rec, rec.version.text.replace("Each Party", "Every Party"))
    v3 = edit(db_session, users, rec, v2.text + " It shall notify the Council.")
    late = comments.create_comment(
        db_session,
        users["drafter"],
        rec.provision,
        body="On the first text.",
        version_id=rec.version.id,
        start=rec.version.text.index("service provider"),
        end=rec.version.text.index("service provider") + len("service provider"),
        exact="service provider",
    )
    db_session.commit()
    for later in (v2, v3):
        assert _anchors(db_session, later.id) == {late.id: _expected(db_session, later)[late.id]}
        assert _anchors(db_session, later.id)[late.id].exact_in(later.text) == "service provider"


# --- importing a draft -----------------------------------------------------------------------

DRAFT_1 = """# title: Anchoring Protocol

Article 1 – Purpose

The purpose of this Protocol is to supplement the Convention between the Parties. Each Party \
shall notify the Secretary General of the Council of Europe of any declaration.

Article 2 – Scope

Each Party shall adopt such legislative measures as may be necessary to establish \
jurisdiction over the offences established in accordance with this Protocol.

Article 3 – Reservations

A Party may reserve the right not to apply this Protocol to its overseas territories.
"""

DRAFT_2 = """# title: Anchoring Protocol

Article 1 – Purpose

The purpose of this Protocol is to complement the Convention between the Parties.

Article 2 – Scope

Each Party shall adopt such legislative measures as may be necessary to establish \
jurisdiction over the offences established in accordance with this Protocol.
"""


def _import(session, instrument, text: str, title: str, on: date):
    result = imports.apply_import(
        session,
        instrument=instrument,
        slug="anchoring",
        title=None,
        meeting_title=title,
        on=on,
        kind="plenary",
        draft=parse_draft(text),
        actor=None,
    )
    session.commit()
    return result


@pytest.fixture
def commented(db_session, users):
    """Draft 1 imported, with comments (and replies) on each of its three articles."""
    result = _import(db_session, None, DRAFT_1, "1st Plenary", date(2026, 1, 10))
    heads = db_session.scalars(
        sa.select(Version).where(Version.meeting_id == result.meeting.id).order_by(Version.id)
    ).all()
    by_number = {v.number.removeprefix("Article "): v for v in heads}
    made: dict[str, list[Comment]] = {}
    passages = {
        "1": ["The purpose of this Protocol", "supplement", "Secretary General of the Council"],
        "2": ["legislative measures", "jurisdiction over the offences"],
        "3": ["overseas territories"],
    }
    for number, quotes in passages.items():
        version = by_number[number]
        made[number] = []
        for passage in quotes:
            start = version.text.index(passage)
            c = comments.create_comment(
                db_session,
                users["drafter"],
                version.provision,
                body=f"On {passage!r}.",
                version_id=version.id,
                start=start,
                end=start + len(passage),
                exact=passage,
            )
            comments.create_comment(
                db_session, users["secretariat"], version.provision, body="Noted.", parent_id=c.id
            )
            made[number].append(c)
    db_session.commit()
    return result.instrument, by_number, made


def test_an_import_places_every_root_comment_of_a_changed_provision(db_session, commented, spy):
    instrument, before, made = commented
    result = _import(db_session, instrument, DRAFT_2, "2nd Plenary", date(2026, 3, 1))
    assert (result.counts["changed"], result.counts["unchanged"]) == (1, 1)
    assert result.counts["removed"] == 1
    new = {
        v.number.removeprefix("Article "): v
        for v in db_session.scalars(
            sa.select(Version).where(Version.meeting_id == result.meeting.id)
        )
    }
    assert set(new) == {"1", "3"}

    article_1 = _anchors(db_session, new["1"].id)
    assert set(article_1) == {c.id for c in made["1"]}  # every root, no reply
    assert article_1 == _expected(db_session, new["1"])
    purpose, supplement, secretary = made["1"]
    assert article_1[purpose.id].status == "anchored"
    assert article_1[supplement.id].exact_in(new["1"].text) == "complement"
    assert article_1[secretary.id] == Placement("orphaned")  # its sentence was dropped

    assert _anchors(db_session, new["3"].id) == {made["3"][0].id: Placement("orphaned")}

    # One diff for the changed article; none for the removed one.
    assert [(o, t, n) for o, t, n in spy] == [(before["1"].text, new["1"].text, 3)]
    event = db_session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "meeting.import")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert "4 comment anchors placed" in event.summary


def test_an_import_computes_nothing_for_unchanged_provisions(db_session, commented, spy):
    instrument, before, made = commented
    _import(db_session, instrument, DRAFT_2, "2nd Plenary", date(2026, 3, 1))
    unchanged = [c.id for c in made["2"]]
    stored = db_session.scalars(
        sa.select(CommentAnchor.comment_id).where(CommentAnchor.comment_id.in_(unchanged))
    ).all()
    assert stored == []
    assert all(o != before["2"].text for o, _, _ in spy)
    # Its comments still show, exactly, on its head: the version they were made on.
    head = db_session.scalar(
        sa.select(Version)
        .where(Version.provision_id == before["2"].provision_id)
        .order_by(Version.id.desc())
        .limit(1)
    )
    assert head.id == before["2"].id


def test_importing_the_same_draft_again_places_nothing(db_session, commented, spy):
    instrument, _, _ = commented
    result = _import(db_session, instrument, DRAFT_1, "2nd Plenary", date(2026, 3, 1))
    assert result.counts["unchanged"] == 3
    assert db_session.scalar(sa.select(sa.func.count()).select_from(CommentAnchor)) == 0
    assert spy == []
