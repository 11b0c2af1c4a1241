"""Signing in and out, remember-me, throttling, and the role check on pages."""

import pytest

from redline.models import AuditEvent
from tests.conftest import PASSWORD, count_rows


def test_login_page_has_form_with_csrf(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page and 'name="csrf_token"' in page


def test_login_and_logout(auth, client):
    r = auth.login("drafter")
    assert r.status_code == 302 and r.location.endswith("/instruments")
    assert client.get("/instruments").status_code == 200
    r = auth.logout()
    assert r.status_code == 302
    assert client.get("/instruments").status_code == 302


def test_wrong_password_is_refused(auth, client):
    r = auth.login("drafter", password="wrong password")
    assert r.status_code == 401
    assert "Wrong e-mail or password" in r.get_data(as_text=True)
    assert client.get("/instruments").status_code == 302


def test_login_without_csrf_token_is_refused(client, users):
    r = client.post("/auth/login", data={"email": "drafter@example.org", "password": PASSWORD})
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)


def test_remember_me_sets_a_remember_cookie(auth, client):
    auth.login("drafter", remember=True)
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_remember_cookie(auth, client):
    auth.login("drafter")
    assert client.get_cookie("remember_token") is None


def test_deactivated_account_cannot_sign_in(auth, users, db_session):
    users["drafter"].active = False
    db_session.commit()
    assert auth.login("drafter").status_code == 401


def test_repeated_failures_are_throttled(auth):
    for _ in range(5):
        assert auth.login("drafter", password="nope nope").status_code == 401
    r = auth.login("drafter")  # even the right password waits now
    assert r.status_code == 429
    assert "Too many failed sign-in attempts" in r.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(auth, client, target):
    r = client.post(
        f"/auth/login?next={target}",
        data={
            "email": "drafter@example.org",
            "password": PASSWORD,
            "csrf_token": auth.csrf_token(),
        },
    )
    assert r.status_code == 302 and r.location == "/instruments"


def test_login_is_not_audited_but_account_creation_is(auth, db_session):
    before = count_rows(AuditEvent)
    auth.login("drafter")
    assert count_rows(AuditEvent) == before
