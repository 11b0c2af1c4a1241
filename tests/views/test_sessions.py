"""Sessions that end: a cookie signs in only while its sign-in session exists on the server.

Each test copies a browser's cookies into a second client (what a thief, a shared computer or a
proxy log would hold) and checks what that copy can still read.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from redline.extensions import db
from redline.models import ApiToken, AuditEvent, UserSession
from tests.conftest import PASSWORD, Auth

PAGE = "/instruments"
NEW_PASSWORD = "a brand new passphrase"


def _browser(app, remote_addr: str = "192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = remote_addr
    return client, Auth(client)


def _copy(app, client, names=("session", "remember_token")):
    """A second client holding the same cookies as `client`."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _signed_in(client) -> bool:
    return client.get(PAGE).status_code == 200


def _remember_only(app, client):
    return _copy(app, client, names=("remember_token",))


def test_logout_ends_that_session(app, users):
    client, auth = _browser(app)
    auth.login("drafter")
    copy = _copy(app, client)
    assert _signed_in(copy)
    auth.logout()
    assert not _signed_in(client)
    assert not _signed_in(copy)  # the old cookie no longer reads pages


def test_logout_ends_the_remember_me_cookie(app, users):
    client, auth = _browser(app)
    auth.login("drafter", remember=True)
    remembered = _remember_only(app, client)
    assert _signed_in(remembered)  # the remember-me cookie alone signs in
    auth.logout()
    assert not _signed_in(remembered)


def test_logout_leaves_other_browsers_signed_in(app, users):
    laptop, on_laptop = _browser(app)
    desktop, on_desktop = _browser(app)
    on_laptop.login("drafter")
    on_desktop.login("drafter")
    on_laptop.logout()
    assert _signed_in(desktop)


def test_remember_me_cookie_differs_at_each_login(app, users):
    values = set()
    for _ in range(3):
        client, auth = _browser(app)
        auth.login("drafter", remember=True)
        values.add(client.get_cookie("remember_token").value)
    assert len(values) == 3


def test_a_cookie_naming_only_the_user_id_signs_nobody_in(app, users):
    client = app.test_client()
    with client.session_transaction() as s:  # the format before sessions ended
        s["_user_id"] = str(users["secretariat"].id)
        s["_fresh"] = True
    assert not _signed_in(client)
    with client.session_transaction() as s:
        s["_user_id"] = f"{users['secretariat'].id}:guessed-token"
    assert not _signed_in(client)


def test_secretariat_reset_ends_every_session_remember_me_and_tokens(app, users, token_for):
    client, auth = _browser(app)
    auth.login("drafter", remember=True)
    copy, remembered = _copy(app, client), _remember_only(app, client)
    headers = token_for("drafter")
    assert app.test_client().get("/api/v1/instruments", headers=headers).status_code == 200
    sec, as_sec = _browser(app)
    as_sec.login("secretariat")
    r = as_sec.post(f"/accounts/{users['drafter'].id}/password", {"password": NEW_PASSWORD})
    assert r.status_code == 302
    assert not _signed_in(client) and not _signed_in(copy) and not _signed_in(remembered)
    assert app.test_client().get("/api/v1/instruments", headers=headers).status_code == 401
    assert _signed_in(sec)
    fresh, again = _browser(app)
    assert again.login("drafter", password=NEW_PASSWORD).status_code == 302


def test_secretariat_resetting_own_password_stays_signed_in_elsewhere_not(app, users):
    here, as_sec = _browser(app)
    there, elsewhere = _browser(app)
    as_sec.login("secretariat", remember=True)
    elsewhere.login("secretariat")
    old = _copy(app, here)
    r = as_sec.post(f"/accounts/{users['secretariat'].id}/password", {"password": NEW_PASSWORD})
    assert r.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(there) and not _signed_in(old)
    assert _signed_in(_remember_only(app, here))  # the new remember-me cookie works


def test_deactivation_and_reactivation_do_not_revive_old_cookies(app, users):
    client, auth = _browser(app)
    auth.login("drafter", remember=True)
    copy = _copy(app, client)
    sec, as_sec = _browser(app)
    as_sec.login("secretariat")
    uid = users["drafter"].id
    assert as_sec.post(f"/accounts/{uid}/active", {"active": "0"}).status_code == 302
    assert not _signed_in(copy)
    assert as_sec.post(f"/accounts/{uid}/active", {"active": "1"}).status_code == 302
    assert not _signed_in(copy) and not _signed_in(client)


def test_secretariat_ends_a_persons_sessions_audited(app, users, db_session):
    client, auth = _browser(app)
    auth.login("civil", remember=True)
    remembered = _remember_only(app, client)
    sec, as_sec = _browser(app)
    as_sec.login("secretariat")
    page = sec.get("/accounts/").get_data(as_text=True)
    uid = users["civil"].id
    assert f'action="/accounts/{uid}/sessions/end"' in page and "1 signed in" in page
    r = as_sec.post(f"/accounts/{uid}/sessions/end")
    assert r.status_code == 302
    assert not _signed_in(client) and not _signed_in(remembered)
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.end_sessions")
    ).one()
    assert event.actor_id == users["secretariat"].id and "1 session(s)" in event.summary
    assert _signed_in(sec)


def test_ending_sessions_needs_csrf_and_the_secretariat(app, users):
    client, auth = _browser(app)
    auth.login("drafter")
    uid = users["civil"].id
    assert client.post(f"/accounts/{uid}/sessions/end").status_code == 400  # no CSRF token
    assert auth.post(f"/accounts/{uid}/sessions/end").status_code == 403
    assert auth.post(f"/accounts/{2**31}/sessions/end").status_code in (403, 404)


def test_changing_own_password_keeps_this_browser_only(app, users, token_for):
    here, me = _browser(app)
    there, elsewhere = _browser(app)
    me.login("observer", remember=True)
    elsewhere.login("observer")
    headers = token_for("observer")
    old = _copy(app, here)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    r = me.post("/auth/password", form)
    assert r.status_code == 302
    assert "Password changed" in here.get(r.location).get_data(as_text=True)
    assert _signed_in(here) and _signed_in(_remember_only(app, here))
    assert not _signed_in(there) and not _signed_in(old)
    assert app.test_client().get("/api/v1/instruments", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("current", "new", "status", "says"),
    [
        ("wrong password", NEW_PASSWORD, 400, "current password is wrong"),
        (PASSWORD, "short", 400, "at least 8"),
        (PASSWORD, PASSWORD, 400, "must differ"),
        (PASSWORD, "x" * 1001, 413, "too long"),  # refused at the door (redline.limits)
    ],
)
def test_a_refused_password_change_changes_nothing(
    app, users, db_session, current, new, status, says
):
    here, me = _browser(app)
    there, elsewhere = _browser(app)
    me.login("observer")
    elsewhere.login("observer")
    sessions = db_session.scalar(sa.select(sa.func.count()).select_from(UserSession))
    r = me.post("/auth/password", {"current_password": current, "new_password": new})
    assert r.status_code == status and says in r.get_data(as_text=True)
    assert _signed_in(here) and _signed_in(there)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == sessions


def test_password_page_has_a_labelled_csrf_form(app, users):
    client, auth = _browser(app)
    auth.login("civil")
    page = client.get("/auth/password").get_data(as_text=True)
    assert 'name="csrf_token"' in page and "Current password" in page
    assert client.post("/auth/password", data={"current_password": PASSWORD}).status_code == 400
    assert app.test_client().get("/auth/password").status_code == 302  # sign in first


def test_revoked_tokens_stay_revoked_after_reactivation(app, users, db_session, token_for):
    headers = token_for("industry")
    sec, as_sec = _browser(app)
    as_sec.login("secretariat")
    uid = users["industry"].id
    as_sec.post(f"/accounts/{uid}/active", {"active": "0"})
    as_sec.post(f"/accounts/{uid}/active", {"active": "1"})
    assert app.test_client().get("/api/v1/instruments", headers=headers).status_code == 401
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(ApiToken.user_id == uid, ApiToken.revoked_at.is_(None))
        )
        == 0
    )


def test_guessing_the_current_password_is_throttled(app, users):
    here, me = _browser(app, "192.0.2.77")
    me.login("observer")
    wrong = {"current_password": "a guess at it", "new_password": NEW_PASSWORD}
    codes = [me.post("/auth/password", wrong).status_code for _ in range(6)]
    assert codes[:5] == [400] * 5 and codes[5] == 429
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert me.post("/auth/password", right).status_code == 429
    assert _signed_in(here)  # throttled, not signed out
