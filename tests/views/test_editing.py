"""The inline editor: fragment vs page, saving, merging, conflicts that keep the user's words."""

from __future__ import annotations

import io

import pytest

from redline.services import texts, versions
from redline.services.meetings import close_meeting
from tests.factories import TREATY_2, two_meetings


@pytest.fixture
def scope(db_session, users):
    instrument, first, second = two_meetings(db_session)
    return next(v for v in texts.versions_as_of(db_session, second) if v.heading == "Scope")


def test_editor_fragment_has_base_version_and_text(auth, client, scope):
    auth.login("drafter")
    r = auth.htmx_get(f"/provisions/{scope.provision_id}/edit")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and not html.lstrip().startswith("<!doctype")
    assert f'name="base_version_id" value="{scope.id}"' in html
    assert "This Protocol applies to specific criminal investigations" in html


def test_observer_cannot_open_editor(auth, client, scope):
    auth.login("observer")
    assert auth.htmx_get(f"/provisions/{scope.provision_id}/edit").status_code == 403


def test_save_via_htmx_returns_block_and_trigger(auth, client, scope, db_session):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {
            "base_version_id": scope.id,
            "number": "Article 3",
            "heading": "Scope of application",
            "text": scope.text + "\n\n3. New paragraph.",
            "message": "adds paragraph 3",
        },
        htmx=True,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "versionSaved"
    assert "Saved." in html and "Article 3 – Scope of application" in html
    head = texts.head(db_session, scope.provision_id)
    assert head.text.endswith("3. New paragraph.") and head.message == "adds paragraph 3"


def test_save_without_htmx_redirects(auth, client, scope):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {"base_version_id": scope.id, "text": scope.text + " x"},
    )
    assert r.status_code == 302 and r.location.endswith(f"/provisions/{scope.provision_id}")


def test_merge_is_announced(auth, client, scope, db_session, users):
    p1, p2 = scope.text.split("\n\n")
    versions.record_edit(
        db_session,
        scope.provision,
        base_version_id=scope.id,
        text=p1 + " (theirs)\n\n" + p2,
        author=users["drafter2"],
        max_chars=200_000,
    )
    db_session.commit()
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {
            "base_version_id": scope.id,
            "text": p1 + "\n\n" + p2 + " (mine)",
            "number": scope.number,
            "heading": scope.heading,
        },
        htmx=True,
    )
    html = r.get_data(as_text=True)
    assert "merged with a concurrent edit" in html
    assert "(theirs)" in html and "(mine)" in html


def test_conflict_keeps_my_words_in_the_editor(auth, client, scope, db_session, users):
    theirs = versions.record_edit(
        db_session,
        scope.provision,
        base_version_id=scope.id,
        text=scope.text.replace("specific", "particular"),
        author=users["drafter2"],
        max_chars=200_000,
    )
    db_session.commit()
    auth.login("drafter")
    mine = scope.text.replace("specific", "certain <b>bold</b>")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {
            "base_version_id": scope.id,
            "text": mine,
            "number": scope.number,
            "heading": scope.heading,
        },
        htmx=True,
    )
    html = r.get_data(as_text=True)
    assert "Not saved" in html and "Nothing is lost" in html
    assert "certain &lt;b&gt;bold&lt;/b&gt;" in html  # my text, escaped, in the textarea
    assert f'name="base_version_id" value="{theirs.version.id}"' in html  # rebased on theirs
    assert "<del>specific</del>" in html and "<ins>particular</ins>" in html
    assert texts.head(db_session, scope.provision_id).id == theirs.version.id


def test_editor_refuses_closed_meeting_with_reason(auth, client, scope, db_session, users):
    close_meeting(db_session, scope.meeting, users["secretariat"])
    db_session.commit()
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {"base_version_id": scope.id, "text": "x"},
        htmx=True,
    )
    assert "closed" in r.get_data(as_text=True)
    assert texts.head(db_session, scope.provision_id).id == scope.id


def test_editor_says_when_text_too_large(auth, client, scope, app):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {"base_version_id": scope.id, "text": "x" * 200_001},
    )
    assert r.status_code == 413 and "the limit is 200,000" in r.get_data(as_text=True)


def test_save_without_csrf_is_refused(client, auth, scope):
    auth.login("drafter")
    r = client.post(
        f"/provisions/{scope.provision_id}/versions",
        data={"base_version_id": scope.id, "text": "x"},
    )
    assert r.status_code == 400


def test_history_fragment_on_version_saved(auth, client, scope):
    auth.login("drafter")
    r = auth.htmx_get(f"/provisions/{scope.provision_id}")
    html = r.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="history"') and "Vary" in r.headers
    full = client.get(f"/provisions/{scope.provision_id}").get_data(as_text=True)
    assert full.lstrip().lower().startswith("<!doctype")


def test_add_move_remove_in_the_browser(auth, client, scope, db_session):
    auth.login("drafter")
    iid = scope.provision.instrument_id
    r = auth.post(
        f"/provisions/new/{iid}",
        {
            "after": scope.provision_id,
            "number": "Article 3bis",
            "heading": "Safeguards",
            "text": "Each Party.",
            "kind": "article",
        },
    )
    assert r.status_code == 302
    order = [v.heading for v in texts.versions_as_of(db_session, scope.meeting)]
    assert order[order.index("Scope") + 1] == "Safeguards"
    new = next(
        v for v in texts.versions_as_of(db_session, scope.meeting) if v.heading == "Safeguards"
    )
    assert auth.post(f"/provisions/{new.provision_id}/move", {"after": ""}).status_code == 302
    assert texts.versions_as_of(db_session, scope.meeting)[0].heading == "Safeguards"
    r = auth.post(
        f"/provisions/{new.provision_id}/remove",
        {"base_version_id": texts.head(db_session, new.provision_id).id},
    )
    assert r.status_code == 302
    assert "Safeguards" not in [v.heading for v in texts.versions_as_of(db_session, scope.meeting)]


def test_import_preview_then_confirm(auth, client, db_session, users):
    from redline.services import meetings

    meetings.create_instrument(db_session, slug="protocol", title="Test Protocol", actor=None)
    db_session.commit()
    instrument = meetings.instrument_by_slug(db_session, "protocol")
    auth.login("secretariat")
    data = {
        "title": "1st Plenary",
        "kind": "plenary",
        "date": "2019-01-10",
        "file": (io.BytesIO(TREATY_2.encode()), "draft.txt"),
    }
    r = auth.post(f"/instruments/{instrument.id}/import/", data, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "5 new" in html and "Direct disclosure" in html
    assert texts.provisions_of(db_session, instrument.id) == []  # preview writes nothing
    import re

    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    # The preview and the confirmation are separate routes: the Record button posts the
    # preview's fields to /confirm (posting them back to the preview only previews again).
    assert auth.post(f"/instruments/{instrument.id}/import/", fields).status_code == 200
    assert texts.provisions_of(db_session, instrument.id) == []
    r = auth.post(f"/instruments/{instrument.id}/import/confirm", fields)
    assert r.status_code == 302
    assert len(texts.provisions_of(db_session, instrument.id)) == 5


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("draft.pdf", b"%PDF", "Unsupported"),
        ("draft.txt", b"Article 1 \xc3\x28 bad", "UTF-8"),
        ("draft.txt", b"", "Choose a"),
        ("draft.docx", b"not a zip", "docx"),
    ],
)
def test_import_bad_files_are_explained(
    auth, client, db_session, users, filename, content, message
):
    from redline.services import meetings

    instrument = meetings.create_instrument(db_session, slug="p", title="P", actor=None)
    db_session.commit()
    auth.login("secretariat")
    r = auth.post(
        f"/instruments/{instrument.id}/import/",
        {
            "title": "M",
            "kind": "plenary",
            "date": "2020-01-01",
            "file": (io.BytesIO(content), filename),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    assert message.lower() in r.get_data(as_text=True).lower()
