"""Presence: "Dana Drafter is editing since 10:42" for the drafting side only, expiring by
itself when the editor's heartbeat stops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from redline.models import utcnow
from redline.services import presence
from redline.services.errors import NotAllowed
from tests.comment_helpers import record


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


def test_others_on_the_drafting_side_see_who_is_editing(db_session, users, rec):
    start = utcnow()
    presence.heartbeat(db_session, users["drafter"], rec.provision.id, start)
    pid = rec.provision.id
    for who in ("secretariat", "drafter2", "observer"):
        (seen,) = presence.editing(db_session, users[who], [pid], start)[pid]
        assert seen.name == users["drafter"].name and seen.since == start
    assert presence.editing(db_session, users["drafter"], [pid], start) == {}  # not oneself


@pytest.mark.parametrize("who", ["civil", "dpa", "industry"])
def test_stakeholders_never_see_presence(db_session, users, rec, who):
    presence.heartbeat(db_session, users["drafter"], rec.provision.id)
    assert presence.editing(db_session, users[who], [rec.provision.id]) == {}


def test_presence_expires_without_heartbeat_and_restarts(db_session, users, rec):
    pid, start = rec.provision.id, utcnow()
    presence.heartbeat(db_session, users["drafter"], pid, start)
    later = start + timedelta(seconds=presence.PRESENCE_EXPIRY - 1)
    presence.heartbeat(db_session, users["drafter"], pid, later)  # still the same session
    assert presence.editing(db_session, users["observer"], [pid], later)[pid][0].since == start
    gone = later + timedelta(seconds=presence.PRESENCE_EXPIRY + 1)
    assert presence.editing(db_session, users["observer"], [pid], gone) == {}
    presence.heartbeat(db_session, users["drafter"], pid, gone)  # the editor is opened again
    assert presence.editing(db_session, users["observer"], [pid], gone)[pid][0].since == gone


@pytest.mark.parametrize("who", ["observer", "civil"])
def test_only_editors_announce_themselves(db_session, users, rec, who):
    with pytest.raises(NotAllowed):
        presence.heartbeat(db_session, users[who], rec.provision.id)


def test_instrument_page_shows_presence_to_the_drafting_side_only(
    db_session, users, rec, auth, client
):
    from tests.comment_helpers import publish

    publish(db_session, users, rec)
    presence.heartbeat(db_session, users["drafter"], rec.provision.id)
    db_session.commit()
    url = f"/instruments/{rec.instrument.id}"
    for who, shown in (("observer", True), ("drafter2", True), ("civil", False)):
        auth.logout()
        auth.login(who)
        page = client.get(url).get_data(as_text=True)
        assert (f"{users['drafter'].name} is editing since" in page) is shown, who
