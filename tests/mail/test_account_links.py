"""Invitation and password reset: the mail really goes out over SMTP, its link is followed,
the link works once, expires, dies with a password change; a reset ends the other sessions and
revokes API tokens; "forgot" answers the same whether or not the address exists."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

from redline.models import ApiToken, OutboxMail, User
from redline.services import accounts, invitations
from redline.services.mail import send_pending
from tests.conftest import PASSWORD, Auth

LINK = re.compile(r"http://redline\.test(/auth/(?:welcome|reset)/[A-Za-z0-9_.\-]+)")


def _link(msg) -> str:
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    path = LINK.search(text).group(1)
    assert path in html  # both parts carry the same link
    return path


def test_invitation_mail_link_sets_password_once(mail_app, db_session, smtp_server, client):
    invitations.invite(
        db_session,
        email="Nadia@Example.org",
        name="Nadia <Ngo>",
        role="stakeholder",
        category="civil_society",
        organisation="Open Rights",
    )
    db_session.commit()
    assert send_pending(db_session).sent == 1
    [msg] = smtp_server.messages
    assert msg["To"] == "nadia@example.org" and "Open Rights" in msg["Subject"]
    assert "List-Unsubscribe" not in msg  # not a notification
    assert "Nadia &lt;Ngo&gt;" in msg.get_body(("html",)).get_content()
    path = _link(msg)
    auth = Auth(client)
    # The account exists but no password opens it before the link is used.
    assert auth.login("nadia@example.org", "whatever-password").status_code == 401
    page = client.get(path)
    assert page.status_code == 200 and "nadia@example.org" in page.get_data(as_text=True)
    done = auth.post(path, {"new_password": "a brand new secret"})
    assert done.status_code == 302
    assert auth.login("nadia@example.org", "a brand new secret").status_code == 302
    again = client.get(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    refused = auth.post(path, {"new_password": "another secret here"})
    assert refused.status_code == 400


def test_short_password_is_refused_and_link_stays_valid(mail_app, db_session, smtp_server, client):
    invitations.invite(db_session, email="o@example.org", name="O", role="observer")
    db_session.commit()
    send_pending(db_session)
    path = _link(smtp_server.messages[0])
    auth = Auth(client)
    r = auth.post(path, {"new_password": "short"})
    assert r.status_code == 400 and "at least 8" in r.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_forged_and_expired_links_are_refused(app, mail_app, db_session, smtp_server, client):
    invitations.invite(db_session, email="o@example.org", name="O", role="observer")
    db_session.commit()
    send_pending(db_session)
    path = _link(smtp_server.messages[0])
    assert client.get(path[:-3] + "abc").status_code == 400
    assert client.get("/auth/welcome/" + "x" * 600).status_code == 400
    assert client.get(path.replace("/welcome/", "/reset/")).status_code == 400  # other purpose
    saved = app.config["INVITATION_MAX_AGE"]
    app.config["INVITATION_MAX_AGE"] = -1
    try:
        r = client.get(path)
        assert r.status_code == 400 and "expired" in r.get_data(as_text=True)
    finally:
        app.config["INVITATION_MAX_AGE"] = saved


def _outbox_count(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))


def test_forgot_answers_the_same_for_unknown_addresses(mail_app, db_session, users, client):
    auth = Auth(client)
    known = auth.post("/auth/forgot", {"email": "civil@example.org"})
    unknown = auth.post("/auth/forgot", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert _outbox_count(db_session) == 1


def test_reset_ends_other_sessions_and_revokes_tokens(
    mail_app, db_session, users, smtp_server, app
):
    other = app.test_client()
    Auth(other).login("civil")
    assert other.get("/auth/password").status_code == 200
    token = accounts.issue_token(db_session, users["civil"])
    db_session.commit()
    mailer = app.test_client()
    Auth(mailer).post("/auth/forgot", {"email": "CIVIL@example.org "})
    send_pending(db_session)
    [msg] = smtp_server.to("civil@example.org")
    assert msg["Subject"] == "Reset your Redline password"
    path = _link(msg)
    assert Auth(mailer).post(path, {"new_password": "fresh password 1"}).status_code == 302
    assert other.get("/auth/password").status_code in (302, 401)  # signed out
    assert db_session.scalar(
        sa.select(ApiToken.revoked_at).where(ApiToken.user_id == users["civil"].id)
    )
    assert token
    assert Auth(app.test_client()).login("civil", PASSWORD).status_code == 401
    assert Auth(app.test_client()).login("civil", "fresh password 1").status_code == 302


def test_a_password_change_kills_an_unused_reset_link(
    mail_app, db_session, users, smtp_server, client
):
    auth = Auth(client)
    auth.post("/auth/forgot", {"email": "drafter@example.org"})
    send_pending(db_session)
    path = _link(smtp_server.messages[0])
    accounts.change_own_password(db_session, users["drafter"], PASSWORD, "changed meanwhile")
    db_session.commit()
    assert client.get(path).status_code == 400


def test_forgot_page_is_linked_from_login(client):
    assert "/auth/forgot" in client.get("/auth/login").get_data(as_text=True)


def test_cli_users_invite_sends_the_mail(mail_app, runner, db_session, smtp_server):
    result = runner.invoke(
        args=["users", "invite", "eve@example.org", "--name", "Eve", "--role", "drafter"]
    )
    assert result.exit_code == 0, result.output
    assert '"email": "eve@example.org"' in result.output
    [msg] = smtp_server.messages
    assert "/auth/welcome/" in msg.get_body(("plain",)).get_content()
    assert db_session.scalar(sa.select(User.role).where(User.email == "eve@example.org"))


def test_cli_users_invite_refuses_bad_input(runner, db_session, users):
    dup = runner.invoke(
        args=["users", "invite", "civil@example.org", "--name", "X", "--role", "drafter"]
    )
    assert dup.exit_code != 0 and "already exists" in dup.output
    bad = runner.invoke(args=["users", "invite", "nope", "--name", "X", "--role", "drafter"])
    assert bad.exit_code != 0 and "valid e-mail" in bad.output
    assert _outbox_count(db_session) == 0


def test_cli_notifications_send(mail_app, runner, db_session, smtp_server):
    invitations.invite(db_session, email="o@example.org", name="O", role="observer")
    db_session.commit()
    first = runner.invoke(args=["notifications", "send"])
    assert first.exit_code == 0 and '"sent": 1' in first.output
    second = runner.invoke(args=["notifications", "send"])
    assert '"sent": 0' in second.output
    assert len(smtp_server.messages) == 1
    time.sleep(0)


def test_reset_requests_cannot_flood_a_mailbox(db_session, users, client):
    auth = Auth(client)
    pages = {auth.post("/auth/forgot", {"email": "dpa@example.org"}).get_data() for _ in range(5)}
    assert len(pages) == 1  # the same answer every time
    assert _outbox_count(db_session) == 3


def test_link_pages_escape_the_persons_name(mail_app, db_session, smtp_server, client):
    payload = '<script>alert(1)</script>"><img src=x>'
    invitations.invite(
        db_session,
        email="x@example.org",
        name=payload,
        role="stakeholder",
        category="industry",
        organisation=payload,
    )
    db_session.commit()
    send_pending(db_session)
    msg = smtp_server.messages[0]
    for body in (msg.get_body(("html",)).get_content(), client.get(_link(msg)).get_data(True)):
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
