"""Passage history at the service level: the record for drafters, published texts for
stakeholders, the cache, and the real GPLv3 history."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from redline.models import PassageHistoryCache, Provision, Version, utcnow
from redline.services import consultations, imports, passage_history, texts, uploads, versions
from redline.services.errors import BadInput, NotFound
from tests.conftest import count_rows
from tests.factories import import_text

BASE = "The purpose of this Protocol is to supplement the Convention."
DRAFTED = "The purpose of this Protocol is to supplement the Convention and its Protocols."
EDITED = "The sole purpose of this Protocol is to supplement the Convention and its Protocols."


def _doc(text: str) -> str:
    return f"# title: Test Protocol\n\nArticle 1 – Purpose\n\n{text}\n"


def _publish(session, instrument, meeting, users):
    now = utcnow()
    consultations.create_consultation(
        session,
        instrument=instrument,
        meeting_id=meeting.id,
        title=f"Consultation on {meeting.title}",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        actor=users["secretariat"],
    )


def build_chain(session, users) -> dict:
    """Plenary 1 (published), a drafting group (never published), plenary 2 (published, open)
    where a drafter adds a word. Also used by the view, API and browser tests."""
    one = import_text(session, _doc(BASE), "1st Plenary", "2020-01-10", closed=True)
    group = import_text(session, _doc(DRAFTED), "Drafting group", "2020-02-10", closed=True)
    two = import_text(session, _doc(DRAFTED), "2nd Plenary", "2020-03-10")
    provision = session.scalars(
        sa.select(Provision).where(Provision.instrument_id == one.instrument.id)
    ).one()
    head = texts.history(session, provision.id)[-1]
    saved = versions.record_edit(
        session,
        provision,
        base_version_id=head.id,
        text=EDITED,
        heading=head.heading,
        number=head.number,
        message="sole",
        author=users["drafter"],
        max_chars=100_000,
    )
    _publish(session, one.instrument, one.meeting, users)
    _publish(session, one.instrument, two.meeting, users)
    return dict(one=one.meeting, group=group.meeting, two=two.meeting, version=saved.version)


@pytest.fixture
def chain(db_session, users):
    made = build_chain(db_session, users)
    db_session.commit()
    return made


def _described(history):
    text = history.version.text
    return [(text[r.start : r.end], r.meeting.title) for r in history.runs]


def test_drafters_see_each_meeting_version_and_author(db_session, users, chain):
    history = passage_history.history_of(db_session, users["drafter"], chain["version"])
    assert _described(history) == [
        ("The ", "1st Plenary"),
        ("sole ", "2nd Plenary"),
        ("purpose of this Protocol is to supplement the Convention", "1st Plenary"),
        (" and its Protocols", "Drafting group"),
        (".", "1st Plenary"),
    ]
    sole = history.runs[1]
    assert sole.version_id == chain["version"].id
    assert sole.author.id == users["drafter"].id
    assert [m.title for m in history.meetings] == ["1st Plenary", "Drafting group", "2nd Plenary"]


def test_stakeholders_see_the_first_published_meeting_and_no_author(db_session, users, chain):
    history = passage_history.history_of(db_session, users["civil"], chain["version"])
    assert _described(history) == [
        ("The ", "1st Plenary"),
        ("sole ", "2nd Plenary"),
        ("purpose of this Protocol is to supplement the Convention", "1st Plenary"),
        (" and its Protocols", "2nd Plenary"),
        (".", "1st Plenary"),
    ]
    assert all(r.version_id is None and r.author is None for r in history.runs)
    assert chain["group"].id not in {m.id for m in history.meetings}


def test_a_version_the_reader_may_not_see_is_not_found(db_session, users, chain):
    group_version = db_session.scalars(
        sa.select(Version).where(Version.meeting_id == chain["group"].id)
    ).one()
    with pytest.raises(NotFound):
        passage_history.history_of(db_session, users["civil"], group_version)


def test_runs_are_cached_per_version_and_chain(db_session, users, chain, monkeypatch):
    record = texts.history(db_session, chain["version"].provision_id)
    earlier = passage_history.history_of(db_session, users["drafter"], record[-2])
    db_session.commit()
    assert count_rows(PassageHistoryCache) == len(record) - 1  # each version up to it
    # The newest version carries on from its parent's cached runs: one diff, no more.
    asked = []
    real = passage_history.redlines.ops_for_pairs

    def counting(session, pairs, store=True):
        pairs = list(pairs)
        asked.extend((a.id, b.id) for a, b in pairs)
        return real(session, pairs, store)

    monkeypatch.setattr(passage_history.redlines, "ops_for_pairs", counting)
    first = passage_history.history_of(db_session, users["drafter"], chain["version"])
    db_session.commit()
    assert asked == [(record[-2].id, record[-1].id)]
    assert count_rows(PassageHistoryCache) == len(record)
    assert earlier.version.text == DRAFTED
    assert _described(earlier) == [
        ("The purpose of this Protocol is to supplement the Convention", "1st Plenary"),
        (" and its Protocols", "Drafting group"),
        (".", "1st Plenary"),
    ]
    asked.clear()
    again = passage_history.history_of(db_session, users["observer"], chain["version"])
    assert asked == [] and _described(again) == _described(first)
    # The published chain is another chain: its own rows, never the record's.
    passage_history.history_of(db_session, users["civil"], chain["version"])
    db_session.commit()
    assert count_rows(PassageHistoryCache) > len(record)


def test_a_selected_passage_gets_its_words_runs(db_session, users, chain):
    history = passage_history.history_of(db_session, users["drafter"], chain["version"])
    start = EDITED.index("sole")
    end = EDITED.index("purpose") + len("purpose")
    picked = passage_history.passage(history, start, end)
    assert [(EDITED[r.start : r.end], r.meeting.title) for r in picked] == [
        ("sole ", "2nd Plenary"),
        ("purpose", "1st Plenary"),
    ]
    for start, end in [(5, 5), (-1, 3), (0, len(EDITED) + 1), (None, 4)]:
        with pytest.raises(BadInput):
            passage_history.passage(history, start, end)


TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"
GPL = [
    ("Discussion Draft 1", date(2006, 1, 16), "GPLv3_discussion-draft-1_2006-01-16.txt"),
    ("Discussion Draft 2", date(2006, 7, 27), "GPLv3_discussion-draft-2_2006-07-27.txt"),
    ("Discussion Draft 3", date(2007, 3, 28), "GPLv3_discussion-draft-3_2007-03-28.txt"),
    ("Last Call Draft", date(2007, 5, 31), "GPLv3_last-call-draft_2007-05-31.txt"),
    ("GPLv3 final", date(2007, 6, 29), "GPL-3.0_2007-06-29.txt"),
]


def test_gplv3_words_of_discussion_draft_2_keep_it_across_renaming(db_session, users):
    instrument = None
    for title, on, filename in GPL:
        draft = uploads.parse_upload(filename, (TEXTS / filename).read_bytes(), 1_000_000)
        instrument = imports.apply_import(
            db_session,
            instrument=instrument,
            slug="gplv3",
            title="GPLv3",
            meeting_title=title,
            on=on,
            kind="plenary",
            draft=draft,
            actor=None,
        ).instrument
    db_session.commit()
    # Section 3 was renamed twice ("Digital Restrictions Management", "No Denying Users'
    # Rights...", "Protecting Users' Legal Rights..."): the heading changed, the provision and
    # the words Draft 2 wrote in it did not.
    final = db_session.scalars(
        sa.select(Version).where(Version.number == "3").order_by(Version.id.desc()).limit(1)
    ).one()
    chain = texts.history(db_session, final.provision_id)
    assert [v.meeting.title for v in chain][:2] == ["Discussion Draft 1", "Discussion Draft 2"]
    assert chain[0].heading != chain[1].heading != final.heading
    history = passage_history.history_of(db_session, users["drafter"], final)
    said = {}
    for run in history.runs:
        said.setdefault(run.meeting.title, []).append(final.text[run.start : run.end])
    assert "Discussion Draft 2" in said
    # Every word attributed to Draft 2 is in Draft 2's text of the provision (under its old
    # number) and, as a passage, not in Draft 1's.
    dd1 = next(v.text for v in chain if v.meeting.title == "Discussion Draft 1")
    dd2 = next(v.text for v in chain if v.meeting.title == "Discussion Draft 2")
    assert all(piece in dd2 for piece in said["Discussion Draft 2"])
    assert any(piece.strip() and piece not in dd1 for piece in said["Discussion Draft 2"])
    covered = sum(r.end - r.start for r in history.runs)
    assert covered == len(final.text)
    # Across renumbering: "Disclaimer of Warranty" was section 16 in Drafts 1 and 2 and 15 from
    # Draft 3 on, where it was recast in capitals (other words); what Draft 1 wrote and Draft 3
    # kept (the punctuation) is still Draft 1's under the new number.
    renumbered = db_session.scalars(
        sa.select(Version)
        .where(Version.heading == "Disclaimer of Warranty", Version.number == "15")
        .order_by(Version.id.desc())
        .limit(1)
    ).one()
    numbers = [v.number for v in texts.history(db_session, renumbered.provision_id)]
    assert numbers[:3] == ["16", "16", "15"]
    runs = passage_history.history_of(db_session, users["drafter"], renumbered).runs
    by_meeting = {r.meeting.title for r in runs}
    assert by_meeting == {"Discussion Draft 1", "Discussion Draft 3"}
    capitals = "".join(renumbered.text[r.start : r.end] for r in runs if "3" in r.meeting.title)
    assert "THERE IS NO WARRANTY FOR THE PROGRAM" in capitals
