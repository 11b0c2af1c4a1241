"""In a real browser: changing one's password by keyboard keeps this browser signed in and
signs out another; the secretariat ends a person's sessions from the accounts page."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.e2e.conftest import login

NEW = "a brand new passphrase"


def _second_browser(browser, live_server):
    context = browser.new_context(base_url=live_server)
    return context, context.new_page()


def test_password_change_by_keyboard_signs_out_the_other_browser(
    page, browser, live_server, seed_users
):
    other_context, other = _second_browser(browser, live_server)
    try:
        login(other, "observer")
        login(page, "observer")
        page.get_by_role("link", name="Password").click()
        page.get_by_label("Current password").fill(PASSWORD)
        page.keyboard.press("Tab")
        page.keyboard.type(NEW)  # the new-password field is next in the tab order
        page.keyboard.press("Enter")
        page.locator("#flashes").get_by_text("Password changed").wait_for()
        page.goto("/instruments")
        assert page.url.endswith("/instruments")  # still signed in here
        other.goto("/instruments")
        assert "/auth/login" in other.url  # signed out there
    finally:
        other_context.close()
    assert page.console_errors == []


def test_secretariat_ends_a_persons_sessions(page, browser, live_server, seed_users):
    other_context, other = _second_browser(browser, live_server)
    try:
        login(other, "civil")
        login(page, "secretariat")
        page.goto("/accounts/")
        row = page.locator(f"#user-{seed_users['civil']}")
        assert "1 signed in" in row.inner_text()
        row.get_by_role("button", name="End sessions of civil@example.org").click()
        page.locator("#flashes").get_by_text("1 session(s) of civil@example.org ended").wait_for()
        other.goto("/instruments")
        assert "/auth/login" in other.url
    finally:
        other_context.close()
    assert page.console_errors == []
