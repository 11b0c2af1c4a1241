"""Text as of a meeting, editing with merges and conflicts, add/remove/move, closed meetings."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.models import AuditEvent, CommentAnchor, Version
from redline.services import meetings, texts, versions
from redline.services.errors import BadInput, Conflict, TooLarge
from tests.comment_helpers import comment, next_meeting, record
from tests.factories import import_text, two_meetings

MAX = 200_000


def by_heading(vs):
    return {v.heading: v for v in vs}


def test_text_as_of_each_meeting_is_exact(db_session):
    instrument, first, second = two_meetings(db_session)
    old = texts.versions_as_of(db_session, first)
    new = texts.versions_as_of(db_session, second)
    assert [v.number for v in old] == ["", "Article 1", "Article 2", "Article 3"]
    assert [v.number for v in new] == ["", "Article 1", "Article 2", "Article 3", "Article 4"]
    assert by_heading(old)["Preamble"].text.endswith("need for co-operation,")
    assert by_heading(new)["Preamble"].text.endswith("need for cooperation,")


def test_renumbered_provision_keeps_its_identity(db_session):
    instrument, first, second = two_meetings(db_session)
    old, new = (
        by_heading(texts.versions_as_of(db_session, first)),
        by_heading(texts.versions_as_of(db_session, second)),
    )
    assert old["Definitions"].provision_id == new["Definitions"].provision_id
    assert (old["Definitions"].number, new["Definitions"].number) == ("Article 3", "Article 2")
    assert old["Scope"].provision_id == new["Scope"].provision_id


def test_untouched_provision_carries_forward(db_session):
    instrument, first, second = two_meetings(db_session)
    purpose_old = by_heading(texts.versions_as_of(db_session, first))["Purpose"]
    purpose_new = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    assert purpose_old.id == purpose_new.id  # same version: nothing recorded for it


def test_several_saves_in_one_meeting_the_newest_wins(db_session, users):
    instrument, first, second = two_meetings(db_session)
    head = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    a = versions.record_edit(
        db_session,
        head.provision,
        base_version_id=head.id,
        text=head.text + " First.",
        author=users["drafter"],
        max_chars=MAX,
    )
    b = versions.record_edit(
        db_session,
        head.provision,
        base_version_id=a.version.id,
        text=a.version.text + " Second.",
        author=users["drafter"],
        max_chars=MAX,
    )
    now = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    assert now.id == b.version.id and now.text.endswith("First. Second.")
    assert [v.id for v in texts.history(db_session, head.provision_id)][-2:] == [
        a.version.id,
        b.version.id,
    ]
    # The closed first meeting still reads as it was.
    assert by_heading(texts.versions_as_of(db_session, first))["Purpose"].text == head.text


def test_concurrent_edits_of_different_paragraphs_merge(db_session, users):
    instrument, first, second = two_meetings(db_session)
    base = by_heading(texts.versions_as_of(db_session, second))["Scope"]
    p1, p2 = base.text.split("\n\n")
    theirs = versions.record_edit(
        db_session,
        base.provision,
        base_version_id=base.id,
        text=p1 + " (amended)\n\n" + p2,
        author=users["drafter2"],
        max_chars=MAX,
    )
    mine = versions.record_edit(
        db_session,
        base.provision,
        base_version_id=base.id,
        text=p1 + "\n\n" + p2.replace("Each Party", "Every Party"),
        author=users["drafter"],
        max_chars=MAX,
    )
    assert mine.merged and mine.version.merged_from_id == theirs.version.id
    assert "(amended)" in mine.version.text and "Every Party" in mine.version.text
    assert mine.version.parent_id == theirs.version.id


def test_overlapping_edits_conflict_and_save_nothing(db_session, users):
    instrument, first, second = two_meetings(db_session)
    base = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    versions.record_edit(
        db_session,
        base.provision,
        base_version_id=base.id,
        text=base.text.replace("supplement", "complement"),
        author=users["drafter2"],
        max_chars=MAX,
    )
    count = db_session.scalar(sa.select(sa.func.count()).select_from(Version))
    with pytest.raises(versions.EditConflict) as e:
        versions.record_edit(
            db_session,
            base.provision,
            base_version_id=base.id,
            text=base.text.replace("supplement", "extend"),
            author=users["drafter"],
            max_chars=MAX,
        )
    assert "extend" in e.value.mine  # the user's words come back to them
    assert e.value.outcome.status == "conflict"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Version)) == count


PARAGRAPHS = st.lists(
    st.text(alphabet="abcdefgh ", min_size=3, max_size=30).map(lambda s: "p" + s.strip() + "."),
    min_size=2,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(paragraphs=PARAGRAPHS, data=st.data())
def test_non_overlapping_paragraph_edits_always_merge_with_both_present(
    db_session, users, paragraphs, data
):
    """Two drafters edit different paragraphs from one base: both edits are in the result."""
    instrument = meetings.instrument_by_slug(db_session, "prop") or meetings.create_instrument(
        db_session, slug="prop", title="Property", actor=None
    )
    meeting = meetings.latest_meeting(db_session, instrument.id) or meetings.create_meeting(
        db_session, instrument, title="M", kind="plenary", on=date(2020, 1, 1), actor=None
    )
    added = versions.add_provision(
        db_session,
        instrument,
        after_provision_id=None,
        number="X",
        heading="",
        text="\n\n".join(paragraphs),
        kind="article",
        author=users["drafter"],
        max_chars=MAX,
    )
    i, j = data.draw(
        st.lists(st.integers(0, len(paragraphs) - 1), min_size=2, max_size=2, unique=True)
    )
    theirs = list(paragraphs)
    theirs[i] = theirs[i] + " THEIRS"
    mine = list(paragraphs)
    mine[j] = "MINE " + mine[j]
    versions.record_edit(
        db_session,
        added.provision,
        base_version_id=added.id,
        text="\n\n".join(theirs),
        author=users["drafter2"],
        max_chars=MAX,
    )
    saved = versions.record_edit(
        db_session,
        added.provision,
        base_version_id=added.id,
        text="\n\n".join(mine),
        author=users["drafter"],
        max_chars=MAX,
    )
    expected = list(paragraphs)
    expected[i] = theirs[i]
    expected[j] = mine[j]
    assert saved.version.text == "\n\n".join(expected)
    assert meeting is not None


def test_closed_meeting_takes_no_new_versions(db_session, users):
    instrument, first, second = two_meetings(db_session)
    meetings.close_meeting(db_session, second, users["secretariat"])
    head = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    with pytest.raises(Conflict) as e:
        versions.record_edit(
            db_session,
            head.provision,
            base_version_id=head.id,
            text="changed",
            author=users["drafter"],
            max_chars=MAX,
        )
    assert e.value.code == "no_open_meeting"


def test_closing_a_meeting_closes_every_earlier_one(db_session, users):
    instrument, first, second = two_meetings(db_session)
    third = meetings.create_meeting(
        db_session, instrument, title="3rd", kind="subgroup", on=date(2019, 6, 1), actor=None
    )
    closed = meetings.close_meeting(db_session, third, None)
    assert {m.title for m in closed} == {"2nd Plenary", "3rd"}


def test_no_meeting_may_be_dated_before_a_closed_one(db_session):
    instrument, first, second = two_meetings(db_session)
    with pytest.raises(Conflict, match="closed"):
        meetings.create_meeting(
            db_session,
            instrument,
            title="Earlier",
            kind="plenary",
            on=date(2018, 12, 1),
            actor=None,
        )


@pytest.mark.parametrize(
    "text, error",
    [
        ("x" * (MAX + 1), TooLarge),
        ("a\x00b", BadInput),
        ("bell \x07", BadInput),
        ("\ud800 lone surrogate", BadInput),
    ],
)
def test_bad_text_is_refused_and_nothing_written(db_session, users, text, error):
    instrument, first, second = two_meetings(db_session)
    head = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Version))
    with pytest.raises(error):
        versions.record_edit(
            db_session,
            head.provision,
            base_version_id=head.id,
            text=text,
            author=users["drafter"],
            max_chars=MAX,
        )
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Version)) == before


def test_remove_records_a_removal_and_keeps_history(db_session, users):
    instrument, first, second = two_meetings(db_session)
    head = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    versions.remove_provision(
        db_session,
        head.provision,
        base_version_id=head.id,
        author=users["drafter"],
        message="merged into Article 1",
    )
    assert "Purpose" not in by_heading(texts.versions_as_of(db_session, second))
    assert "Purpose" in by_heading(texts.versions_as_of(db_session, first))
    assert texts.history(db_session, head.provision_id)[-1].removed


def test_add_and_move_place_provisions_in_document_order(db_session, users):
    instrument, first, second = two_meetings(db_session)
    current = texts.versions_as_of(db_session, second)
    purpose = by_heading(current)["Purpose"]
    added = versions.add_provision(
        db_session,
        instrument,
        after_provision_id=purpose.provision_id,
        number="Article 1bis",
        heading="Languages",
        text="English.",
        kind="article",
        author=users["drafter"],
        max_chars=MAX,
    )
    order = [v.heading for v in texts.versions_as_of(db_session, second)]
    assert order.index("Languages") == order.index("Purpose") + 1
    versions.move_provision(
        db_session, added.provision, after_provision_id=None, author=users["drafter"]
    )
    assert texts.versions_as_of(db_session, second)[0].heading == "Languages"


def test_a_move_places_the_comments_on_the_moved_version(db_session, users):
    rec = record(db_session, users)
    other = versions.add_provision(
        db_session,
        rec.instrument,
        after_provision_id=rec.provision.id,
        number="Article 7",
        heading="",
        text="More.",
        kind="article",
        author=users["drafter"],
        max_chars=MAX,
    )
    note = comment(db_session, users, rec, "drafter")
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    moved = versions.move_provision(
        db_session, rec.provision, after_provision_id=other.provision_id, author=users["drafter"]
    )
    db_session.commit()
    # Cached when the move was recorded, like every other new version: pages never relocate.
    anchor = db_session.scalar(
        sa.select(CommentAnchor).where(
            CommentAnchor.comment_id == note.id, CommentAnchor.version_id == moved.id
        )
    )
    assert anchor is not None
    assert (anchor.status, moved.text[anchor.start : anchor.end]) == ("anchored", note.exact)


def test_versions_are_immutable(db_session):
    instrument, first, second = two_meetings(db_session)
    v = texts.versions_as_of(db_session, first)[0]
    v.text = "tampered"
    with pytest.raises(ValueError, match="immutable"):
        db_session.flush()
    db_session.rollback()


def test_every_write_is_audited(db_session, users):
    instrument, first, second = two_meetings(db_session)
    head = by_heading(texts.versions_as_of(db_session, second))["Purpose"]
    saved = versions.record_edit(
        db_session,
        head.provision,
        base_version_id=head.id,
        text=head.text + " More.",
        author=users["drafter"],
        max_chars=MAX,
    )
    event = db_session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "version.create")
        .order_by(AuditEvent.id.desc())
    )
    assert event.object_id == saved.version.id and event.actor_id == users["drafter"].id
    assert event.instrument_id == instrument.id


def test_reimporting_the_same_draft_changes_nothing(db_session):
    instrument, first, second = two_meetings(db_session)
    from tests.factories import TREATY_2

    again = import_text(db_session, TREATY_2, "3rd Plenary", "2019-05-05")
    assert again.counts["unchanged"] == 5 and again.counts["changed"] == 0
