"""Signing in and out, remember-me, throttling, and the role check on pages."""

import pytest

from redline.models import AuditEvent
from tests.conftest import PASSWORD, Auth, count_rows


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


# --- fair login: no enumeration, no lockout of the owner by others ---------------------------


def _from(app, addr: str) -> Auth:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    return Auth(client)


def test_failures_from_one_client_do_not_lock_out_another(app, users):
    attacker, owner = _from(app, "198.51.100.1"), _from(app, "198.51.100.2")
    statuses = [
        attacker.login("secretariat", password="guess guess").status_code for _ in range(10)
    ]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert attacker.login("secretariat").status_code == 429  # even the right password waits
    assert owner.login("secretariat").status_code == 302


def test_a_client_is_throttled_across_accounts(app, users):
    """Spraying one password over many accounts from one client is throttled per client."""
    sprayer = _from(app, "198.51.100.3")
    limit = 3 * app.config["LOGIN_MAX_FAILURES"]
    for i in range(limit):
        r = sprayer.login(f"person{i}@example.org", password="Summer2026!")
        assert r.status_code == 401
    assert sprayer.login("drafter").status_code == 429
    assert _from(app, "198.51.100.4").login("drafter").status_code == 302


def test_an_account_under_attack_slows_failing_clients_not_clean_ones(app, users):
    """Many clients failing on one account: a client that has failed waits between attempts;
    a client that has not failed signs in at once."""
    for n in range(app.config["LOGIN_MAX_FAILURES"] + 2):
        assert _from(app, f"203.0.113.{n}").login("drafter", "wrong wrong").status_code == 401
    failed_before = _from(app, "203.0.113.0")
    r = failed_before.login("drafter")
    assert r.status_code == 429 and "Wait" in r.get_data(as_text=True)
    assert _from(app, "203.0.113.200").login("drafter").status_code == 302


@pytest.mark.parametrize("email", ["nobody@example.org", "drafter@example.org"])
def test_known_and_unknown_emails_cost_one_password_hash(
    app, users, db_session, monkeypatch, email
):
    from redline.services import sign_in

    checked = []
    real = sign_in.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(sign_in, "check_password_hash", spy)
    r = _from(app, "198.51.100.9").login(email, password="wrong wrong")
    assert r.status_code == 401 and "Wrong e-mail or password" in r.get_data(as_text=True)
    assert len(checked) == 1 and checked[0].startswith("pbkdf2:sha256:1000$")


def test_deactivated_account_costs_a_hash_too(app, users, db_session, monkeypatch):
    from redline.services import sign_in

    users["observer"].active = False
    db_session.commit()
    checked = []
    real = sign_in.check_password_hash
    monkeypatch.setattr(
        sign_in, "check_password_hash", lambda h, p: checked.append(h) or real(h, p)
    )
    assert _from(app, "198.51.100.10").login("observer").status_code == 401
    assert len(checked) == 1


def test_token_endpoint_is_throttled_per_client_not_per_account(app, users):
    attacker, owner = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.21"
    body = {"email": "drafter@example.org", "password": "wrong wrong"}
    codes = [attacker.post("/api/v1/auth/token", json=body).status_code for _ in range(10)]
    assert codes[-1] == 429 and codes[0] == 401
    good = {"email": "drafter@example.org", "password": PASSWORD}
    assert owner.post("/api/v1/auth/token", json=good).status_code == 201
    assert attacker.post("/api/v1/auth/token", json=good).status_code == 429
