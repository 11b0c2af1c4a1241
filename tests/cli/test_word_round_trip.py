"""Round trip through Word: our own exports import back to exactly what they were made from.

These tests read .docx files with the Word reader (`read_draft`, issue 10): footnotes and
endnotes back as `[^m]` markers and notes, w:bidi back as direction, our redline's tracked
changes counted and resolved as the secretariat chooses.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from redline.models import Instrument
from redline.services import meetings, texts
from tests.conftest import count_rows
from tests.word_drafts import ART1, ART2, ART3, import_draft, replace, word_draft


def _texts(session, slug, meeting=None):
    instrument = meetings.instrument_by_slug(session, slug)
    meeting = meeting or meetings.latest_meeting(session, instrument.id)
    return [
        (v.number, v.heading, v.text, v.notes, v.direction)
        for v in texts.versions_as_of(session, meeting)
    ]


def _two_meetings(db_session):
    first = import_draft(db_session, word_draft(), "1st", "2021-01-10")
    art1 = replace(
        ART1,
        text=ART1.text.replace("apply it", "apply this Protocol"),
        paragraphs=(ART1.paragraphs[0], "Each Party shall apply this Protocol.[^2]"),
        notes=(ART1.notes[0], replace(ART1.notes[1], text="See the report.")),
    )
    second = import_draft(db_session, word_draft((art1, ART2, ART3)), "2nd", "2021-02-10")
    db_session.commit()
    return first, second


def _import(runner, path, slug, *extra):
    return runner.invoke(
        args=[
            "import-text",
            str(path),
            "--instrument",
            slug,
            "--meeting",
            "Imported",
            "--date",
            "2021-03-01",
            "--title",
            "Copy",
            *extra,
        ]
    )


def test_clean_export_imports_back_identical(db_session, auth, runner, tmp_path):
    first, second = _two_meetings(db_session)
    auth.login("drafter")
    iid = first.instrument.id
    r = auth.client.get(f"/instruments/{iid}/text.docx?meeting={second.meeting.id}")
    assert r.status_code == 200
    path = tmp_path / "text.docx"
    path.write_bytes(r.data)
    out = _import(runner, path, "copy")
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["tracked_changes"]["resolved"] is None and result["not_carried"] == {}
    assert _texts(db_session, "copy") == _texts(db_session, "notes", second.meeting)


def test_redline_export_is_refused_without_a_choice(db_session, auth, runner, tmp_path):
    first, second = _two_meetings(db_session)
    auth.login("drafter")
    span = f"from={first.meeting.id}&to={second.meeting.id}"
    path = tmp_path / "redline.docx"
    path.write_bytes(
        auth.client.get(f"/instruments/{first.instrument.id}/compare.docx?{span}").data
    )
    before = count_rows(Instrument)
    out = _import(runner, path, "copy")
    assert out.exit_code == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert "tracked changes" in out.stderr and "--tracked-changes" in out.stderr
    assert count_rows(Instrument) == before
    assert db_session.scalar(sa.select(Instrument).where(Instrument.slug == "copy")) is None


def test_redline_export_imports_as_newer_with_accept_and_older_with_reject(
    db_session, auth, runner, tmp_path
):
    first, second = _two_meetings(db_session)
    auth.login("drafter")
    span = f"from={first.meeting.id}&to={second.meeting.id}"
    path = tmp_path / "redline.docx"
    path.write_bytes(
        auth.client.get(f"/instruments/{first.instrument.id}/compare.docx?{span}").data
    )
    accepted = _import(runner, path, "accepted", "--tracked-changes", "accept")
    assert accepted.exit_code == 0, accepted.output
    counts = json.loads(accepted.stdout)["tracked_changes"]
    assert counts["resolved"] == "accept" and counts["insertions"] and counts["deletions"]
    assert _texts(db_session, "accepted") == _texts(db_session, "notes", second.meeting)
    rejected = _import(runner, path, "rejected", "--tracked-changes", "reject")
    assert rejected.exit_code == 0, rejected.output
    assert json.loads(rejected.stdout)["tracked_changes"]["resolved"] == "reject"
    assert _texts(db_session, "rejected") == _texts(db_session, "notes", first.meeting)


def test_a_bad_tracked_changes_choice_is_refused(runner, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("Article 1 – Scope\n\nText.\n")
    out = _import(runner, path, "copy", "--tracked-changes", "maybe")
    assert out.exit_code != 0 and "maybe" in out.output
    assert count_rows(Instrument) == 0


def test_a_text_file_ignores_the_choice_and_reports_no_changes(runner, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("Article 1 – Scope\n\nText.\n")
    out = _import(runner, path, "copy", "--tracked-changes", "reject")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["tracked_changes"] == {
        "insertions": 0,
        "deletions": 0,
        "moves": 0,
        "comments": 0,
        "resolved": None,
    }


def test_by_names_an_editor_account(runner, tmp_path, users):
    path = tmp_path / "draft.txt"
    path.write_text("Article 1 – Scope\n\nText.\n")
    out = _import(runner, path, "copy", "--by", "nobody@example.org")
    assert out.exit_code == 1 and "No account" in out.stderr
    out = _import(runner, path, "copy", "--by", users["civil"].email)
    assert out.exit_code == 1 and "drafter or secretariat" in out.stderr
    out = _import(runner, path, "copy", "--by", users["secretariat"].email)
    assert out.exit_code == 0, out.output


def _docx_with_a_comment(path):
    import docx

    document = docx.Document()
    document.add_paragraph("Article 1 – Scope")
    p = document.add_paragraph()
    commented = p.add_run("Each Party")
    p.add_run(" shall adopt such measures as may be necessary.")
    document.add_comment(commented, text="Too broad?", author="Ana Civil", initials="AC")
    document.save(str(path))


def test_word_comments_are_imported_with_by(db_session, runner, tmp_path, users):
    from redline.models import Comment

    path = tmp_path / "commented.docx"
    _docx_with_a_comment(path)
    out = _import(runner, path, "copy", "--by", users["drafter"].email)
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["tracked_changes"]["comments"] == 1
    assert result["word_comments"]["on_passage"] == 1
    made = db_session.scalars(sa.select(Comment)).one()
    assert made.exact == "Each Party" and made.visibility == "internal"
    assert made.body.startswith("Word comment by Ana Civil") and made.body.endswith("Too broad?")


def test_word_comments_without_by_are_listed(db_session, runner, tmp_path):
    path = tmp_path / "commented.docx"
    _docx_with_a_comment(path)
    out = _import(runner, path, "copy")
    assert out.exit_code == 0, out.output
    listed = json.loads(out.stdout)["word_comments"]["not_imported"]
    assert [(c["author"], c["body"], c["exact"]) for c in listed] == [
        ("Ana Civil", "Too broad?", "Each Party")
    ]
