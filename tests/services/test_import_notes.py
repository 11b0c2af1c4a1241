"""Storage of notes, direction and language; Word comments and extras carried by an import."""

from __future__ import annotations

import sqlalchemy as sa

from redline.models import AuditEvent, Comment, Version
from redline.services import texts, versions
from tests.word_drafts import (
    ART1,
    ART2,
    ART3,
    TrackedChanges,
    comment,
    import_draft,
    replace,
    word_draft,
)


def _heads(session, result):
    return {v.number: v for v in texts.versions_as_of(session, result.meeting)}


def test_import_keeps_notes_direction_and_language(db_session):
    result = import_draft(db_session, word_draft(language="fr-FR"), "1st", "2021-01-10")
    db_session.commit()
    db_session.expire_all()
    heads = _heads(db_session, result)
    assert heads["Article 1"].notes == [
        {"marker": "1", "text": "ETS No. 185.", "kind": "footnote"},
        {"marker": "2", "text": "See the explanatory report.", "kind": "footnote"},
    ]
    assert heads["Article 2"].notes == [
        {"marker": "a", "text": "Including proceedings.", "kind": "endnote"}
    ]
    assert heads["Article 1"].direction == "ltr" and heads["Article 3"].direction == "rtl"
    assert heads["Article 3"].notes == []
    assert result.meeting.language == "fr-FR"


def test_text_files_leave_the_language_empty(db_session):
    from tests.factories import TREATY_1, import_text

    result = import_text(db_session, TREATY_1, "1st", "2019-01-10")
    assert result.meeting.language == ""
    assert all(
        v.notes == [] and v.direction == "ltr"
        for v in texts.versions_as_of(db_session, result.meeting)
    )


def test_a_changed_note_or_direction_is_a_new_version_and_nothing_else_is(db_session):
    import_draft(db_session, word_draft(), "1st", "2021-01-10")
    changed_note = replace(ART1, notes=(ART1.notes[0], replace(ART1.notes[1], text="Revised.")))
    flipped = replace(ART3, direction="ltr")
    second = import_draft(
        db_session, word_draft((changed_note, ART2, flipped)), "2nd", "2021-02-10"
    )
    assert second.counts["changed"] == 2 and second.counts["unchanged"] == 1
    heads = _heads(db_session, second)
    assert heads["Article 1"].notes[1]["text"] == "Revised."
    assert heads["Article 3"].direction == "ltr"
    third = import_draft(db_session, word_draft((changed_note, ART2, flipped)), "3rd", "2021-03-10")
    assert third.counts["changed"] == 0 and third.counts["unchanged"] == 3


def test_result_reports_tracked_changes_and_what_was_not_carried(db_session):
    tracked = TrackedChanges(
        insertions=3, deletions=2, moves=1, comments=0, authors=("Ana Civil",), resolved="reject"
    )
    result = import_draft(
        db_session,
        word_draft(tracked=tracked, not_carried={"images": 2, "equations": 1}),
        "1st",
        "2021-01-10",
    )
    out = result.as_json()
    assert out["tracked_changes"] == {
        "insertions": 3,
        "deletions": 2,
        "moves": 1,
        "comments": 0,
        "resolved": "reject",
    }
    assert out["not_carried"] == {"images": 2, "equations": 1}
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "meeting.import")
    ).one()
    assert "tracked changes rejected" in event.summary
    assert "2 images" in event.summary and "1 equations" in event.summary


def test_word_comments_become_internal_comments_on_their_passages(db_session, users):
    actor = users["secretariat"]
    # Reader paragraphs: 0 heading of Art. 1, 1-2 its text, 3 heading of Art. 2, 4 its text...
    comments = (
        comment("Each Party", 2, body="Too broad?"),
        comment("specific investigations", 4, body="Which ones?", author="Li Wei"),
        comment("words that are gone", 1, body="Was here."),
    )
    result = import_draft(
        db_session, word_draft(comments=comments), "1st", "2021-01-10", actor=actor
    )
    assert result.as_json()["word_comments"] == {
        "imported": 3,
        "on_passage": 2,
        "on_provision": 1,
        "not_imported": [],
    }
    assert result.counts["word_comments"] == 3  # what the web confirmation reads
    heads = _heads(db_session, result)
    made = db_session.scalars(sa.select(Comment).order_by(Comment.id)).all()
    assert [c.visibility for c in made] == ["internal"] * 3
    first, second, lost = made
    art1 = heads["Article 1"]
    assert first.version_id == art1.id and art1.text[first.start : first.end] == "Each Party"
    assert first.body.startswith("Word comment by Ana Civil on 2021-05-20T10:00:00Z")
    assert first.body.endswith("Too broad?") and first.author_id == actor.id
    assert second.version_id == heads["Article 2"].id and second.exact == "specific investigations"
    assert "Li Wei" in second.body
    # Not found: on the provision's whole text, and the body says which passage it was on.
    assert (lost.start, lost.end) == (0, len(art1.text))
    assert '"words that are gone" is no longer in the text' in lost.body


def test_the_occurrence_in_the_comments_own_paragraph_is_chosen(db_session, users):
    twice = replace(
        ART1,
        text="The Party shall act.\n\nThe Party shall report.",
        paragraphs=("The Party shall act.", "The Party shall report."),
        notes=(),
    )
    result = import_draft(
        db_session,
        word_draft((twice,), comments=(comment("The Party", 2),)),
        "1st",
        "2021-01-10",
        actor=users["drafter"],
    )
    made = db_session.scalars(sa.select(Comment)).one()
    assert made.start == len("The Party shall act.\n\n")
    assert result.word_comments.on_passage == 1


def test_word_comments_without_an_account_are_reported_not_dropped(db_session):
    result = import_draft(
        db_session, word_draft(comments=(comment("Each Party", 2),)), "1st", "2021-01-10"
    )
    out = result.as_json()["word_comments"]
    assert out["imported"] == 0 and len(out["not_imported"]) == 1
    assert result.counts["word_comments_not_imported"] == 1
    assert out["not_imported"][0]["body"] == "Check this." and out["not_imported"][0]["reason"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_browser_edit_keeps_notes_and_direction(db_session, users):
    result = import_draft(db_session, word_draft(), "1st", "2021-01-10")
    heads = _heads(db_session, result)
    art1, art3 = heads["Article 1"], heads["Article 3"]
    saved = versions.record_edit(
        db_session,
        art1.provision,
        base_version_id=art1.id,
        text=art1.text.replace("apply it", "apply this Protocol"),
        author=users["drafter"],
        max_chars=100_000,
    )
    assert saved.version.notes == art1.notes
    edited3 = versions.record_edit(
        db_session,
        art3.provision,
        base_version_id=art3.id,
        text=art3.text + " نص",
        author=users["drafter"],
        max_chars=100_000,
    ).version
    assert edited3.direction == "rtl"


def test_deleting_a_marker_in_the_editor_deletes_its_note(db_session, users):
    result = import_draft(db_session, word_draft(), "1st", "2021-01-10")
    art1 = _heads(db_session, result)["Article 1"]
    saved = versions.record_edit(
        db_session,
        art1.provision,
        base_version_id=art1.id,
        text=art1.text.replace("[^2]", ""),
        author=users["drafter"],
        max_chars=100_000,
    )
    assert [n["marker"] for n in saved.version.notes] == ["1"]
    # The same text again records nothing.
    again = versions.record_edit(
        db_session,
        art1.provision,
        base_version_id=saved.version.id,
        text=saved.version.text,
        author=users["drafter"],
        max_chars=100_000,
    )
    assert again.version.id == saved.version.id
    assert (
        db_session.scalar(
            sa.select(sa.func.count())
            .select_from(Version)
            .where(Version.provision_id == art1.provision_id)
        )
        == 2
    )
