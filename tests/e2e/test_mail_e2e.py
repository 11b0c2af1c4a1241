"""In a real browser, with a real SMTP server: the secretariat invites a person, the mail's
link opens the welcome page, the person chooses a password and signs in; a person who forgot
their password follows the reset mail, and their other browser is signed out."""

from __future__ import annotations

import re

import pytest

from redline.extensions import db
from redline.services.mail import send_pending
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.mail.conftest import mail_app, smtp_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e


@pytest.fixture
def mailing(app, mail_app, smtp_server, live_server):  # noqa: F811
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = live_server
    try:
        yield smtp_server
    finally:
        app.config["PUBLIC_URL"] = saved


def _send_and_read_link(app, inbox, address: str, live_server: str) -> str:
    with app.app_context():
        send_pending(db.session)
        db.session.remove()
    [msg] = inbox.to(address)
    text = msg.get_body(("plain",)).get_content()
    return re.search(re.escape(live_server) + r"(/auth/\S+)", text).group(1)


def test_invitation_to_first_sign_in(page, app, live_server, seed_users, mailing):
    login(page, "secretariat")
    page.goto("/accounts/")
    page.get_by_role("link", name="Invite people by e-mail").click()
    page.get_by_label("Name").fill("Nadia Nour")
    page.get_by_label("E-mail").fill("nadia@example.org")
    page.get_by_label("Role").select_option("stakeholder")
    page.get_by_label("Stakeholder category").select_option("civil_society")
    page.get_by_role("button", name="Send invitation").click()
    page.locator("#flashes").get_by_text("Invitation sent to nadia@example.org").wait_for()
    page.context.clear_cookies()

    path = _send_and_read_link(app, mailing, "nadia@example.org", live_server)
    page.goto(path)
    page.get_by_role("heading", name="Welcome to Redline").wait_for()
    page.get_by_label("New password").fill("nadia's own secret")
    page.get_by_role("button", name="Set password and open my account").click()
    page.wait_for_url("**/auth/login")
    page.get_by_label("E-mail").fill("nadia@example.org")
    page.get_by_label("Password").fill("nadia's own secret")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/instruments")
    assert page.console_errors == []
    page.goto(path)  # the link worked once (answered 400, which the console reports)
    assert "already been used" in page.inner_text("main")


def test_reset_by_mail_signs_out_the_other_browser(
    page, browser, app, live_server, seed_users, mailing
):
    other_context = browser.new_context(base_url=live_server)
    other = other_context.new_page()
    try:
        login(other, "civil")
        page.goto("/auth/login")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("E-mail").fill("civil@example.org")
        page.get_by_role("button", name="Send me a link").click()
        page.get_by_role("status").wait_for()
        path = _send_and_read_link(app, mailing, "civil@example.org", live_server)
        page.goto(path)
        page.get_by_label("New password").fill("after the reset")
        page.keyboard.press("Enter")
        page.wait_for_url("**/auth/login")
        other.goto("/instruments")
        assert "/auth/login" in other.url  # the old session ended
        page.get_by_label("E-mail").fill("civil@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        assert "Wrong e-mail or password" in page.inner_text("main")
        page.get_by_label("Password").fill("after the reset")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/instruments")
    finally:
        other_context.close()
    # The one error is the refused sign-in with the old password (401), which is the point.
    assert [e for e in page.console_errors if "401" not in e] == []
