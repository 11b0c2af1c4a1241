"""Keyboard only: from a provision's text to the history of a passage, word by word."""

from __future__ import annotations

from tests.e2e.conftest import login
from tests.services.test_passage_history import build_chain


def _setup(session):
    from redline.models import User

    users = {u.email.split("@")[0]: u for u in session.query(User)}
    users["secretariat"] = users["sec"]
    made = build_chain(session, users)
    session.flush()
    return made["version"].provision_id, made["version"].id


def test_keyboard_only_journey_to_the_history_of_a_passage(page, seed, seed_users):
    pid, vid = seed(_setup)
    login(page, "drafter")
    page.goto(f"/provisions/{pid}")
    page.wait_for_selector(".comments-margin:not(.loading)")
    text = page.locator(f"#text-{pid}")
    text.focus()
    # S selects the first word, → moves to "sole", Shift+→ adds "purpose", H asks its history.
    page.keyboard.press("s")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "sole purpose"
    page.keyboard.press("h")
    page.wait_for_url(f"**/provisions/{pid}/history?*")
    rows = page.locator(".passage-history tbody tr")
    assert rows.count() == 2
    assert "sole" in rows.nth(0).inner_text() and "2nd Plenary" in rows.nth(0).inner_text()
    assert "Dra Fter" in rows.nth(0).inner_text()
    assert "purpose" in rows.nth(1).inner_text() and "1st Plenary" in rows.nth(1).inner_text()
    # The whole provision: numbered tags (not colour alone) and a legend naming the meetings.
    legend = page.locator(".history-legend").inner_text()
    assert "1st Plenary" in legend and "Drafting group" in legend and "2nd Plenary" in legend
    assert page.locator(".history-text .run-tag").count() == 5
    # Back to the provision by keyboard, then the whole provision with no selection: Tab to
    # the button and press Enter.
    page.goto(f"/provisions/{pid}")
    page.wait_for_selector(".comments-margin:not(.loading)")
    page.locator(f"#text-{pid}").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.history-form') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == "History of this passage"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/provisions/{pid}/history?*")
    assert page.locator(".passage-history").count() == 0
    assert page.locator(".history-text .run-tag").count() == 5
    assert page.console_errors == []  # type: ignore[attr-defined]
