"""Keyboard only, in a real browser: walk the outline of an instrument to a provision, open the
bracket report, pick other meetings (htmx swaps the report, the URL follows), open a
provision's passages; on a narrow screen the outline starts closed and opens by keyboard."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, screenshot
from tests.redline_data import Drafting, publish

pytestmark = pytest.mark.e2e


def _negotiation(session):
    d = Drafting(session, slug="brackets-e2e", title="Bracketed Protocol")
    m1 = d.meeting("1st Plenary", "2026-01-10")
    m2 = d.meeting("2nd Plenary", "2026-03-10")
    d.put(m1, "ch1", "Chapter I", "General", "", 1, "division")
    d.put(m1, "art1", "Article 1", "Notice", "Parties shall [promptly] notify [the authority].", 2)
    d.put(m1, "art2", "Article 2", "Time", "[Option A: seven days] [Option B: ten days]", 3)
    for i in range(3, 30):  # a text long enough to scroll
        d.put(m1, f"art{i}", f"Article {i}", "Filler", "Plain words. " * 40, i + 1)
    d.carry(m2, "art1", text="Parties shall promptly notify [the authority] [and the court].")
    d.carry(m2, "art2", text="seven days")
    publish(session, m1)
    publish(session, m2)
    return {"iid": d.instrument.id, "m1": m1.id, "m2": m2.id, "art2": d.pid("art2")}


def tab_to(page, selector: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_outline_and_bracket_report_by_keyboard(page, seed, seed_users):
    ids = seed(_negotiation)
    login(page, "drafter")
    page.goto(f"/instruments/{ids['iid']}")
    outline = page.get_by_role("navigation", name="Outline")
    assert outline.is_visible()

    def entry(title: str) -> str:
        link = page.get_by_role("link", name=title, exact=True)
        return outline.locator("li.outline-article", has=link).inner_text()

    assert entry("Article 2 – Time") == "Article 2 – Time changed"  # its brackets were settled
    assert "changed" in entry("Article 1 – Notice")
    assert "[2]" in entry("Article 1 – Notice")
    # Sticky: still on screen after scrolling the text.
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    assert outline.bounding_box()["y"] < 900
    screenshot(page, "outline-wide.png", full_page=False)

    # Walk the outline by keyboard to Article 2.
    page.goto(f"/instruments/{ids['iid']}")
    tab_to(page, f'nav[aria-label="Outline"] a[href="#provision-{ids["art2"]}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#provision-{ids['art2']}")
    assert page.locator(f"#provision-{ids['art2']}").is_visible()

    # To the bracket report from the instrument's toolbar.
    tab_to(page, 'nav[aria-label="Instrument"] a[href$="/brackets"]', key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/instruments/{ids['iid']}/brackets")
    assert page.locator("h1").inner_text() == "Square brackets in Bracketed Protocol"
    assert (
        "1 opened · 3 closed (2 with the words kept, 1 dropped)"
        in page.locator("#bracket-report").inner_text()
    )

    # Pick the same meeting at both ends by keyboard: the report is swapped, the URL follows.
    page.evaluate("window.__stillHere = true")
    tab_to(page, "select[name=from]")
    page.keyboard.press("ArrowDown")  # 1st → 2nd Plenary
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**from={ids['m2']}**")
    assert page.evaluate("window.__stillHere") is True  # htmx swapped only the report
    report = page.locator("#bracket-report")
    assert "From 2nd Plenary to 2nd Plenary" in report.inner_text()
    assert "0 opened · 0 closed" in report.inner_text()

    # Open a provision's passages by keyboard.
    tab_to(page, "#bracket-report summary")
    page.keyboard.press("Enter")
    passages = page.locator("#bracket-report details[open]").first
    assert "[the authority]" in passages.inner_text()
    screenshot(page, "bracket-report.png")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_outline_collapsed_on_a_narrow_screen(browser, live_server, seed, seed_users):
    ids = seed(_negotiation)
    context = browser.new_context(base_url=live_server, viewport={"width": 400, "height": 800})
    page = context.new_page()
    try:
        login(page, "civil")
        page.goto(f"/instruments/{ids['iid']}")
        details = page.locator("details#outline")
        page.wait_for_function("!document.querySelector('details#outline').open")
        assert not page.get_by_role("navigation", name="Outline").is_visible()
        tab_to(page, "details#outline > summary")
        page.keyboard.press("Enter")
        assert details.get_attribute("open") is not None
        tab_to(page, 'nav[aria-label="Outline"] a[href^="#provision-"]')
        page.keyboard.press("Enter")
        page.wait_for_function("!document.querySelector('details#outline').open")
        screenshot(page, "outline-narrow.png")
    finally:
        context.close()
