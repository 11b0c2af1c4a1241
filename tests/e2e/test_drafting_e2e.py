"""In a real Chromium: signing in, the instrument list, and two drafters editing one provision
at the same time without losing a word."""

from __future__ import annotations

import pytest

from redline.services import texts
from tests.e2e.conftest import login, screenshot
from tests.factories import two_meetings

pytestmark = pytest.mark.e2e


def test_login_shows_instrument_list(page, seed, seed_users):
    seed(lambda s: two_meetings(s)[0].id)
    login(page, "observer")
    assert page.locator("#instrument-list").inner_text().count("Test Protocol") == 1
    page.click("text=Test Protocol")
    assert page.locator("h1").first.inner_text() == "Test Protocol"
    assert page.console_errors == []  # no CSP violation, no script error


def test_wrong_password_is_said_plainly(page, seed_users):
    page.goto("/auth/login")
    page.fill("input[name=email]", "drafter@example.org")
    page.fill("input[name=password]", "not the password")
    page.click("main form button[type=submit]")
    assert "Wrong e-mail or password" in page.locator("[role=alert]").inner_text()


def _scope(session):
    instrument, first, second = two_meetings(session)
    scope = next(v for v in texts.versions_as_of(session, second) if v.heading == "Scope")
    return scope.provision_id


def test_two_drafters_edit_the_same_provision_and_nothing_is_lost(
    browser, live_server, seed, seed_users, app
):
    pid = seed(_scope)
    pages = []
    for who in ("drafter", "drafter2"):
        context = browser.new_context(base_url=live_server)
        p = context.new_page()
        login(p, who)
        p.goto(f"/provisions/{pid}")
        p.click(f"#block-{pid} button:has-text('Edit')")
        p.wait_for_selector(f"#block-{pid} textarea[name=text]")
        pages.append(p)
    one, two = pages
    # Both opened the editor on the same version; each changes a different paragraph.
    text = one.input_value("textarea[name=text]")
    p1, p2 = text.split("\n\n")
    one.fill(
        "textarea[name=text]",
        p1.replace("investigations", "investigations and proceedings") + "\n\n" + p2,
    )
    two.fill("textarea[name=text]", p1 + "\n\n" + p2.replace("Each Party", "Every Party"))
    one.click(f"#block-{pid} button:has-text('Save')")
    one.wait_for_selector(f"#block-{pid} >> text=Saved.")
    two.click(f"#block-{pid} button:has-text('Save')")
    two.wait_for_selector(f"#block-{pid} >> text=merged with a concurrent edit")
    merged = two.locator(f"#text-{pid}").inner_text()
    assert "investigations and proceedings" in merged and "Every Party" in merged

    # Now both edit the same words: the second is told, and keeps their text in the editor.
    for p in pages:
        p.goto(f"/provisions/{pid}")
        p.click(f"#block-{pid} button:has-text('Edit')")
        p.wait_for_selector(f"#block-{pid} textarea[name=text]")
    base = one.input_value("textarea[name=text]")
    one.fill("textarea[name=text]", base.replace("Every Party", "Each State Party"))
    two.fill("textarea[name=text]", base.replace("Every Party", "Each Contracting Party"))
    one.click(f"#block-{pid} button:has-text('Save')")
    one.wait_for_selector(f"#block-{pid} >> text=Saved.")
    two.click(f"#block-{pid} button:has-text('Save')")
    two.wait_for_selector(f"#block-{pid} .conflict")
    assert "Each Contracting Party" in two.input_value("textarea[name=text]")
    assert "Each State Party" in two.locator(".conflict").inner_text()
    screenshot(two, "conflict.png")
    # The second drafter reconciles and saves: both versions are in the history.
    two.fill(
        "textarea[name=text]", base.replace("Every Party", "Each State Party or Contracting Party")
    )
    two.click(f"#block-{pid} button:has-text('Save')")
    two.wait_for_selector(f"#block-{pid} >> text=Saved.")
    with app.app_context():
        from redline.extensions import db

        history = [v.text for v in texts.history(db.session, pid)]
    assert any("Each State Party or Contracting Party" in t for t in history)
    assert any("Each State Party" in t and "Contracting" not in t for t in history)
    for p in pages:
        assert p.console_errors == [] if hasattr(p, "console_errors") else True
        p.context.close()
