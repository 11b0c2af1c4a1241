"""The redline page in a real browser: mode switches swap only the body (htmx, URL pushed),
keyboard and buttons move between changes and say where the reader is, nothing breaks the CSP."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, screenshot
from tests.redline_data import GPL_HISTORY, import_history, synthetic

pytestmark = pytest.mark.e2e


def _synthetic(session):
    d, m1, m2 = synthetic(session)
    return {"iid": d.instrument.id, "from": m1.id, "to": m2.id}


def _position(page) -> str:
    return page.locator("#change-position").inner_text()


def test_modes_and_keyboard_navigation(page, seed, seed_users):
    ids = seed(_synthetic)
    login(page)
    page.goto(f"/instruments/{ids['iid']}/compare?from={ids['from']}&to={ids['to']}")
    assert page.locator("h1").inner_text() == "Changes to Synthetic Protocol"
    assert page.locator(".number-change").all_inner_texts() == [
        "Article 4 → Article 3",
        "Article 7 → Article 8",
    ]
    total = page.locator(
        "#redline-body [data-change], #redline-body ins, #redline-body del"
    ).count()
    assert total > 6

    # j / k move focus between changes and announce the position.
    page.keyboard.press("j")
    assert _position(page) == f"Change 1 of {total}"
    assert page.evaluate("document.activeElement.id") == page.locator(
        "[data-change]"
    ).first.get_attribute("id")
    page.keyboard.press("j")
    page.keyboard.press("n")
    assert _position(page) == f"Change 3 of {total}"
    assert page.evaluate("document.activeElement.tagName") in ("INS", "DEL", "ARTICLE")
    page.keyboard.press("k")
    assert _position(page) == f"Change 2 of {total}"
    page.get_by_role("button", name="Next change").click()
    assert _position(page) == f"Change 3 of {total}"
    page.get_by_role("button", name="Previous change").click()
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert _position(page) == "First change reached."
    screenshot(page, "compare-inline.png")

    # A mode switch swaps only #redline-body: no reload, the URL carries the mode.
    page.evaluate("window.__stillHere = true")
    page.get_by_role("link", name="Side by side").click()
    page.wait_for_url(re.compile(r"mode=side"))
    page.locator("#redline-body.mode-side").wait_for()
    assert page.evaluate("window.__stillHere") is True
    assert page.locator(".sides").count() > 0
    # Navigation still works on the swapped body, counting its own changes.
    page.keyboard.press("j")
    side_total = page.locator(
        "#redline-body [data-change], #redline-body ins, #redline-body del"
    ).count()
    assert _position(page) == f"Change 1 of {side_total}"
    screenshot(page, "compare-side.png")

    page.get_by_role("link", name="Clean new text").click()
    page.locator("#redline-body.mode-new").wait_for()
    assert page.locator("#redline-body ins, #redline-body del").count() == 0
    assert "cybercrime and its proceeds" in page.locator("#redline-body").inner_text()

    page.go_back()  # history restore brings the side-by-side view back
    page.locator("#redline-body.mode-side").wait_for()
    assert page.console_errors == []


def test_gplv3_last_call_to_final_reads_well(page, seed, seed_users):
    def build(session):
        instrument, meetings = import_history(session, "gplv3", "GNU GPL version 3", GPL_HISTORY)
        return {"iid": instrument.id, "from": meetings[-2].id, "to": meetings[-1].id}

    ids = seed(build)
    login(page)
    page.goto(f"/instruments/{ids['iid']}/compare?from={ids['from']}&to={ids['to']}")
    assert page.locator("details.unchanged-run").count() > 0
    assert (
        page.locator("#redline-body ins").count() > 0
        and page.locator("#redline-body del").count() > 0
    )
    for _ in range(3):
        page.keyboard.press("j")
    assert re.fullmatch(r"Change 3 of \d+", _position(page))
    screenshot(page, "compare-gplv3-inline.png", full_page=False)  # the view at change 3
    page.emulate_media(media="print")
    screenshot(page, "compare-gplv3-print.png", full_page=False)
    # Printed: a black-and-white redline without controls, headings kept with their text.
    style = page.evaluate(
        """() => {
        const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
        const mark = (sel) => [css(sel, 'color'), css(sel, 'textDecorationLine')];
        return {
            ins: mark('#redline-body ins'),
            del: mark('#redline-body del'),
            heading: css('.compare-heading', 'breakAfter'),
            hidden: ['.downloads', '.change-nav', 'nav.modes', '.compare-picker'].map(
                (sel) => css(sel, 'display')),
            short: [...document.querySelectorAll('.compare-provision.short')].map(
                (el) => getComputedStyle(el).breakInside),
            long: [...document.querySelectorAll('.compare-provision:not(.short)')].map(
                (el) => getComputedStyle(el).breakInside),
        };
    }"""
    )
    assert style["ins"] == ["rgb(0, 0, 0)", "underline"]
    assert style["del"] == ["rgb(0, 0, 0)", "line-through"]
    assert style["heading"] == "avoid" and style["hidden"] == ["none"] * 4
    # A short provision is never split across pages; a long one may be, between lines.
    assert set(style["short"]) == {"avoid"} and set(style["long"]) == {"auto"}
    assert page.console_errors == []


def test_a_marked_passage_leads_to_its_comment(page, seed, seed_users):
    def build(session):
        from redline.models import User, Version
        from redline.services import comments

        d, m1, m2 = synthetic(session)
        old = session.get(Version, d.heads["art2"].parent_id)  # the text the 2nd meeting struck
        start = old.text.index("cyber-crime")
        made = comments.create_comment(
            session, session.get(User, seed_users["drafter"]), old.provision,
            body="Why drop the hyphen?", version_id=old.id, start=start,
            end=start + len("cyber-crime"), exact="cyber-crime",
        )  # fmt: skip
        return {"iid": d.instrument.id, "from": m1.id, "to": m2.id, "cid": made.id}

    ids = seed(build)
    login(page)
    page.goto(f"/instruments/{ids['iid']}/compare?from={ids['from']}&to={ids['to']}")
    mark = page.locator(f"del mark[data-threads='{ids['cid']}']")
    assert mark.inner_text() == "cyber-crime"
    mark.click()
    focused = page.evaluate("document.activeElement.closest('li').innerText")
    assert "Why drop the hyphen?" in focused and "on 1st Drafting Plenary" in focused
    assert page.console_errors == []
