"""The instrument page picks up new versions and comments while open, says so in an aria-live
region, leaves alone a provision being edited in this browser, and tells a stakeholder nothing
of what they may not see."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.comment_helpers import TEXT, comment, edit, publish, record


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


def _poll_url(client, iid: int) -> str:
    page = client.get(f"/instruments/{iid}").get_data(as_text=True)
    assert 'id="live-status"' in page and 'aria-live="polite"' in page
    return unescape(re.search(r'id="live-poll"[^>]*hx-get="([^"]+)"', page).group(1))


def test_nothing_new_answers_204_and_a_new_version_is_drawn_and_announced(
    db_session, users, rec, auth, client
):
    auth.login("observer")
    url = _poll_url(client, rec.instrument.id)
    assert client.get(url).status_code == 204
    edit(db_session, users, rec, TEXT + " Added words.")
    r = client.get(url)
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "1 provision has new text" in text and "Added words." in text
    assert f'id="provision-{rec.provision.id}" hx-swap-oob="true"' in text
    assert 'hx-swap-oob="innerHTML:#live-status"' in text
    fresh = unescape(re.search(r'id="live-poll"[^>]*hx-get="([^"]+)"', text).group(1))
    assert client.get(fresh).status_code == 204  # the new stamp: nothing since


def test_a_provision_being_edited_here_is_left_alone(db_session, users, rec, auth, client):
    auth.login("drafter2")
    url = _poll_url(client, rec.instrument.id)
    edit(db_session, users, rec, TEXT + " Added words.")
    text = client.get(f"{url}&editing={rec.provision.id}").get_data(as_text=True)
    assert f'id="provision-{rec.provision.id}"' not in text
    assert "1 provision has new text" in text


def test_new_comments_are_announced_only_to_who_may_read_them(db_session, users, rec, auth, client):
    publish(db_session, users, rec)
    auth.login("civil")
    url = _poll_url(client, rec.instrument.id)
    comment(db_session, users, rec, "drafter", body="internal", internal=True)
    assert client.get(url).status_code == 204  # an internal note moved nothing for civil
    comment(db_session, users, rec, "civil", body="mine")
    text = client.get(url).get_data(as_text=True)
    assert "1 new comment" in text
