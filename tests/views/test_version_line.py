"""The version line of a provision page ("meeting, version N · time · author", N the version's
sequence at that meeting, never a database id: issue 15) always names the
version whose text is shown: after an inline save, after Cancel, and when the margin's poll
brings a version someone else saved."""

from __future__ import annotations

import re

import pytest

from redline.services import texts, versions
from tests.factories import two_meetings


@pytest.fixture
def scope(db_session, users):
    instrument, first, second = two_meetings(db_session)
    return next(v for v in texts.versions_as_of(db_session, second) if v.heading == "Scope")


def version_line(html: str, pid: int) -> str:
    found = re.findall(
        rf'<p class="meta version-meta" id="version-meta-{pid}"[^>]*>.*?</p>', html, re.S
    )
    assert len(found) == 1, found
    return found[0]


def label(db_session, v) -> str:
    """'2nd Plenary, version 2': the meeting and the version's place among that meeting's."""
    same = [h.id for h in texts.history(db_session, v.provision_id) if h.meeting_id == v.meeting_id]
    return f"{v.meeting.title}, version {same.index(v.id) + 1}"


def test_the_provision_page_names_the_current_version(auth, client, scope, db_session):
    auth.login("drafter")
    html = client.get(f"/provisions/{scope.provision_id}").get_data(as_text=True)
    line = version_line(html, scope.provision_id)
    assert f"{label(db_session, scope)} ·" in line and "not the current text" not in line
    # Inside the block the editor replaces and a save swaps back.
    block = html.split(f'id="block-{scope.provision_id}"')[1].split('class="comments-margin')[0]
    assert f'id="version-meta-{scope.provision_id}"' in block


def test_an_inline_save_on_the_provision_page_brings_the_new_version_line(
    auth, client, scope, db_session
):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions?page=1",
        {"base_version_id": scope.id, "text": scope.text + " Added."},
        htmx=True,
    )
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "versionSaved"
    saved = texts.head(db_session, scope.provision_id)
    line = version_line(r.get_data(as_text=True), scope.provision_id)
    assert label(db_session, saved).startswith("2nd Plenary, version ")
    assert f"{label(db_session, saved)} ·" in line and "Dra Fter" in line
    assert "hx-swap-oob" not in line  # part of the swapped block itself
    cancel = auth.htmx_get(f"/provisions/{scope.provision_id}/block?page=1")
    assert f"{label(db_session, saved)} ·" in version_line(
        cancel.get_data(as_text=True), scope.provision_id
    )


def test_the_instrument_page_blocks_carry_no_version_line(auth, client, scope):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{scope.provision_id}/versions",
        {"base_version_id": scope.id, "text": scope.text + " Added."},
        htmx=True,
    )
    assert "version-meta" not in r.get_data(as_text=True)
    page = client.get(f"/instruments/{scope.provision.instrument_id}").get_data(as_text=True)
    assert "version-meta" not in page


def test_the_margin_refresh_brings_a_version_saved_elsewhere(
    auth, client, scope, users, db_session
):
    newer = versions.record_edit(
        db_session,
        scope.provision,
        base_version_id=scope.id,
        text=scope.text + " Theirs.",
        author=users["drafter2"],
        max_chars=200_000,
    ).version
    db_session.commit()
    auth.login("drafter")
    margin = auth.htmx_get(f"/provisions/{scope.provision_id}/comments").get_data(as_text=True)
    line = version_line(margin, scope.provision_id)
    assert 'hx-swap-oob="true"' in line
    assert f"{label(db_session, newer)} ·" in line and "Second Drafter" in line
    # A version's own page is pinned: its line never changes, nothing is sent out of band.
    pinned = auth.htmx_get(
        f"/provisions/{scope.provision_id}/comments?version={scope.id}"
    ).get_data(as_text=True)
    assert "version-meta" not in pinned
    older = client.get(f"/provisions/{scope.provision_id}/at/{scope.id}").get_data(as_text=True)
    assert "not the current text" in version_line(older, scope.provision_id)
