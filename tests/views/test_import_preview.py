"""The import preview: corrections to the split (full page and htmx fragment), the Word
file's extras, the confirmation route, and tampered forms refused without writing."""

from __future__ import annotations

import base64
import html as htmllib
import io
import re

import pytest

from redline.domain.drafts.paragraphs import DraftComment, TrackedChanges, WordExtras
from redline.models import AuditEvent
from redline.services import meetings, texts, uploads

DRAFT = "\n\n".join(
    [
        "Article 1 – Purpose",
        "The purpose is stated.",
        "Article 2 – Scope",
        "It applies to all.",
        "Terms used below",
        "Terms mean what they say.",
    ]
)


@pytest.fixture
def instrument(db_session):
    made = meetings.create_instrument(db_session, slug="conv", title="Convention", actor=None)
    db_session.commit()
    return made


def _hidden(html: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html)
    return {k: htmllib.unescape(v) for k, v in found}


def _preview(auth, instrument, text=DRAFT, **extra):
    auth.login("secretariat")
    data = {
        "title": "1st Plenary",
        "kind": "plenary",
        "date": "2026-01-10",
        "file": (io.BytesIO(text.encode()), "draft.txt"),
        **extra,
    }
    r = auth.post(f"/instruments/{instrument.id}/import/", data, content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


def test_the_preview_lists_paragraphs_with_their_corrections(auth, instrument):
    html = _preview(auth, instrument)
    assert "The split into provisions" in html
    assert 'name="correct" value="split:5"' in html  # a body paragraph can be split off
    assert 'name="correct" value="heading:4"' in html
    assert 'name="correct" value="join:2"' in html  # Article 2 can be joined to Article 1
    assert 'name="correct" value="text:2"' in html
    assert 'name="correct" value="join:0"' not in html  # nothing before the first
    assert f'hx-post="/instruments/{instrument.id}/import/"' in html
    assert "/import/confirm" in html


def test_a_correction_re_renders_the_full_page_without_js(auth, instrument, db_session):
    fields = _hidden(_preview(auth, instrument))
    r = auth.post(f"/instruments/{instrument.id}/import/", {**fields, "correct": "heading:4"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" in html
    assert _hidden(html)["corrections"] == "heading:4"
    assert "3 new" in html and "marked paragraph 5 as a heading" in html
    assert texts.provisions_of(db_session, instrument.id) == []


def test_a_correction_by_htmx_returns_only_the_preview(auth, instrument):
    fields = _hidden(_preview(auth, instrument))
    r = auth.post(
        f"/instruments/{instrument.id}/import/", {**fields, "correct": "join:2"}, htmx=True
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<form id="import-preview"')
    assert "1 new" in html and _hidden(html)["corrections"] == "join:2"
    assert "HX-Request" in r.headers.get("Vary", "")


def test_undo_removes_one_correction_and_undo_all_every_one(auth, instrument):
    fields = _hidden(_preview(auth, instrument))
    url = f"/instruments/{instrument.id}/import/"
    fields = _hidden(auth.post(url, {**fields, "correct": "heading:4"}).get_data(as_text=True))
    fields = _hidden(auth.post(url, {**fields, "correct": "join:2"}).get_data(as_text=True))
    assert fields["corrections"] == "join:2 heading:4"
    one = _hidden(auth.post(url, {**fields, "undo": "join:2"}).get_data(as_text=True))
    assert one["corrections"] == "heading:4"
    none = _hidden(auth.post(url, {**fields, "undo": "all"}).get_data(as_text=True))
    assert none["corrections"] == ""


def test_confirm_records_the_corrected_split_and_audits_it(auth, instrument, db_session):
    fields = _hidden(_preview(auth, instrument))
    url = f"/instruments/{instrument.id}/import/"
    fields = _hidden(auth.post(url, {**fields, "correct": "heading:4"}).get_data(as_text=True))
    r = auth.post(url + "confirm", fields)
    assert r.status_code == 302
    headings = [
        v.heading
        for v in texts.versions_as_of(
            db_session, meetings.latest_meeting(db_session, instrument.id)
        )
    ]
    assert headings == ["Purpose", "Scope", "Terms used below"]
    event = db_session.query(AuditEvent).filter_by(action="meeting.import").one()
    assert "split corrected in the preview (1)" in event.summary
    assert "marked paragraph 5 as a heading (“Terms used below”)" in event.summary
    page = auth.client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1 corrections to the split were recorded" in page


TAMPERED = [
    ("corrections", "split:99", "paragraph 100"),
    ("corrections", "drop table", "damaged"),
    ("corrections", "split:0", "first paragraph"),
    ("corrections", "split:1 " * 501, "500"),
    ("correct", "explode:3", "damaged"),
    ("undo", "split:", "damaged"),
    ("tracked", "both", "accepted or rejected"),
]


@pytest.mark.parametrize(("field", "value", "message"), TAMPERED)
@pytest.mark.parametrize("route", ["", "confirm"])
def test_tampered_corrections_are_refused_and_change_nothing(
    auth, instrument, db_session, field, value, message, route
):
    fields = _hidden(_preview(auth, instrument))
    before = db_session.query(AuditEvent).count()
    r = auth.post(f"/instruments/{instrument.id}/import/{route}", {**fields, field: value})
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)
    assert texts.provisions_of(db_session, instrument.id) == []
    assert db_session.query(AuditEvent).count() == before


def test_a_refused_htmx_correction_answers_400_with_the_message(auth, instrument):
    fields = _hidden(_preview(auth, instrument))
    r = auth.post(
        f"/instruments/{instrument.id}/import/", {**fields, "corrections": "split:42"}, htmx=True
    )
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "<html" not in body and "paragraph 43" in body


def test_marking_a_long_paragraph_as_heading_is_refused_clearly(auth, instrument):
    text = DRAFT + "\n\n" + "A very long paragraph " * 40
    fields = _hidden(_preview(auth, instrument, text))
    r = auth.post(f"/instruments/{instrument.id}/import/", {**fields, "correct": "heading:6"})
    assert r.status_code == 400 and "heading" in r.get_data(as_text=True)


def _word_draft(monkeypatch, seen: list[str]):
    """A Word reader's answer (the Word reader is another module's; here only what the preview
    does with `draft.word` is under test)."""
    from redline.domain.drafts import reading as drafts

    extras = WordExtras(
        language="en-GB",
        tracked=TrackedChanges(
            insertions=3,
            deletions=2,
            moves=1,
            comments=1,
            authors=("Ana Ruiz", "Ben Okafor"),
            resolved="accept",
        ),
        comments=(DraftComment("Ana Ruiz", "2026-01-02T10:00:00Z", "Check <this>.", "purpose", 1),),
        not_carried={"images": 2, "text boxes": 1},
    )

    def fake_docx(data: bytes, tracked_changes: str = "accept"):
        seen.append(tracked_changes)
        parsed = drafts.parse_draft(data.decode())
        return drafts.replace(parsed, word=extras)

    monkeypatch.setattr(drafts, "parse_docx", fake_docx)


def test_the_preview_says_what_the_word_file_brought(auth, instrument, monkeypatch):
    seen: list[str] = []
    _word_draft(monkeypatch, seen)
    auth.login("secretariat")
    r = auth.post(
        f"/instruments/{instrument.id}/import/",
        {
            "title": "1st Plenary",
            "kind": "plenary",
            "date": "2026-01-10",
            "file": (io.BytesIO(DRAFT.encode()), "draft.docx"),
        },
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert "3 insertions, 2 deletions, 1 move and 1 comment, by Ana Ruiz, Ben Okafor" in html
    assert 'name="tracked_choice" value="accept" checked' in html
    assert "Check &lt;this&gt;." in html and "2 images" in html and "1 text boxes" in html
    assert "Cancel: import nothing" in html
    fields = _hidden(html)
    assert fields["tracked"] == "accept"
    # Choosing "rejected" and recording without previewing it first is refused.
    r = auth.post(
        f"/instruments/{instrument.id}/import/confirm", {**fields, "tracked_choice": "reject"}
    )
    assert r.status_code == 400 and "Show this text" in r.get_data(as_text=True)
    assert seen == ["accept"]
    r = auth.post(
        f"/instruments/{instrument.id}/import/",
        {**fields, "tracked_choice": "reject", "undo": "all"},
        htmx=True,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'value="reject" checked' in html
    assert seen == ["accept", "reject"]
    fields = _hidden(html)
    assert fields["tracked"] == "reject"
    r = auth.post(
        f"/instruments/{instrument.id}/import/confirm", {**fields, "tracked_choice": "reject"}
    )
    assert r.status_code == 302 and seen[-1] == "reject"
    page = auth.client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Not carried from the Word file: 2 images, 1 text boxes." in page


def test_the_old_confirm_form_still_records(auth, instrument, db_session):
    auth.login("secretariat")
    payload = base64.b64encode(DRAFT.encode()).decode()
    fields = {
        "confirm": "1",
        "payload": payload,
        "filename": "d.txt",
        "title": "1st Plenary",
        "kind": "plenary",
        "date": "2026-01-10",
    }
    r = auth.post(f"/instruments/{instrument.id}/import/", fields)
    # Preview and confirm are separate routes: the browser re-posts the form to confirm.
    assert r.status_code == 307
    assert r.headers["Location"].endswith(f"/instruments/{instrument.id}/import/confirm")
    assert len(texts.provisions_of(db_session, instrument.id)) == 0
    r = auth.post(r.headers["Location"], fields)
    assert r.status_code == 302
    assert len(texts.provisions_of(db_session, instrument.id)) == 2


def test_parse_upload_applies_corrections():
    draft = uploads.parse_upload("d.txt", DRAFT.encode(), 100_000, corrections="heading:4")
    assert [p.heading for p in draft.provisions] == ["Purpose", "Scope", "Terms used below"]


def test_a_large_draft_can_be_corrected_and_confirmed(auth, instrument, db_session):
    """The file travels back base64-encoded in a form field: a draft of ~1 MB must not be
    refused on its way back (Werkzeug's default limit for a form field is 500 kB)."""
    articles = [
        f"Article {n} – Heading {n}\n\n" + f"Each Party shall act {n}. " * 140
        for n in range(1, 301)
    ]
    text = "\n\n".join(articles)
    assert len(text.encode()) > 900_000
    auth.login("secretariat")
    # Posted as the preview carries it (a multipart upload this big makes the test client
    # spool a temporary file it never closes).
    fields = {
        "payload": base64.b64encode(text.encode()).decode(),
        "filename": "d.txt",
        "title": "1st Plenary",
        "kind": "plenary",
        "date": "2026-01-10",
    }
    r = auth.post(f"/instruments/{instrument.id}/import/", {**fields, "correct": "split:3"})
    assert r.status_code == 200
    r = auth.post(f"/instruments/{instrument.id}/import/confirm", _hidden(r.get_data(as_text=True)))
    assert r.status_code == 302
    assert len(texts.provisions_of(db_session, instrument.id)) == 301
