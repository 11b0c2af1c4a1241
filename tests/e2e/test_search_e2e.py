"""Keyboard only, in a real browser: a stakeholder searches from the header, narrows the search
to every version ("when did these words appear?"), reads where they first stood, and opens the
provision; words written at an unpublished meeting never show."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_brackets_outline_e2e import tab_to
from tests.redline_data import Drafting, publish

pytestmark = pytest.mark.e2e


def _drafts(session):
    d = Drafting(session, slug="search-e2e", title="Searched Protocol")
    m1 = d.meeting("1st Plenary", "2026-01-10")
    m2 = d.meeting("2nd Plenary", "2026-02-10")
    m3 = d.meeting("3rd Plenary", "2026-03-10")
    d.put(m1, "art1", "Article 1", "Scope", "This Protocol applies to criminal investigations.", 1)
    d.put(m1, "art2", "Article 2", "Orders", "Each Party may order the production of data.", 2)
    d.carry(m2, "art2", text="Each Party may order the disclosure of subscriber information.")
    d.carry(m3, "art1", text="This Protocol applies to subscriber information held in secret.")
    publish(session, m1)
    publish(session, m2)  # the 3rd Plenary's text is not published
    return {"art2": d.pid("art2")}


def test_search_by_keyboard_from_the_header_to_the_provision(page, seed, seed_users):
    ids = seed(_drafts)
    login(page, "civil")

    tab_to(page, "header input[type=search]")
    page.keyboard.type('"subscriber information"')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    results = page.locator("#search-results")
    assert results.locator("h2").inner_text() == "1 result in 1 provision"
    assert results.locator("mark").first.inner_text().lower() == "subscriber information"
    assert "secret" not in results.inner_text()  # the unpublished 3rd Plenary's words

    # Every version, by keyboard: Tab reaches the radio group at its checked radio, an arrow
    # moves the choice, then back to the form's own Search button.
    tab_to(page, "input[name=scope]:checked")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "versions"
    tab_to(page, "main form button[type=submit]", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"scope=versions"))
    hits = results.locator("li")
    hits.first.wait_for()
    assert hits.count() == 1
    assert "2nd Plenary" in hits.first.inner_text()  # where the words first stood

    tab_to(page, "#search-results h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/provisions/{ids['art2']}")
    assert "subscriber information" in page.locator("main").inner_text()
    assert page.console_errors == []  # type: ignore[attr-defined]
