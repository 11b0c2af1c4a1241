"""In a real Chromium: the secretariat uploads a draft, corrects the split in the preview
(heading, split and join; one by keyboard only), sees each effect before confirming, and
records the corrected text."""

from __future__ import annotations

import pytest

from redline.services import meetings, texts
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e

DRAFT = "\n\n".join(
    [
        "Article 1 – Purpose",
        "The purpose is stated.",
        "Article 2 – Scope",
        "It applies to all.",
        "Terms used below",
        "Terms mean what they say.",
        "It enters into force.",
    ]
)


def test_the_secretariat_corrects_the_split_before_recording(page, seed, seed_users, app, tmp_path):
    iid = seed(
        lambda s: meetings.create_instrument(s, slug="conv", title="Convention", actor=None).id
    )
    login(page, "secretariat")
    page.goto(f"/instruments/{iid}/import/")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    page.set_input_files("input[name=file]", str(draft))
    page.fill("input[name=title]", "1st Plenary")
    page.fill("input[name=date]", "2026-01-10")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-preview")
    assert "2 new" in page.locator("#import-summary").inner_text()

    # Mark paragraph 5 as a heading, with the mouse: htmx swaps the preview in place.
    page.click("#fix-4-b")
    page.wait_for_selector("#import-summary:has-text('3 new')")
    assert "3 new" in page.locator("#import-summary").inner_text()
    assert page.url.endswith("/import/")  # swapped, not a new page

    # Split before paragraph 7 by keyboard only: focus the button, press Enter.
    page.focus("#fix-6-a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#import-summary:has-text('4 new')")
    # Focus comes back to the same slot of the same paragraph after the swap.
    assert page.locator("#fix-6-a").evaluate("e => e === document.activeElement")
    assert page.locator("#fix-6-a").inner_text() == "Join into previous"

    # Join Article 2 into Article 1, by keyboard too.
    page.focus("#fix-2-a")
    page.keyboard.press("Space")
    page.wait_for_selector("#import-summary:has-text('3 new')")
    listed = page.locator("#import-corrections li").all_inner_texts()
    assert len(listed) == 3 and "joined paragraph 3" in listed[0]
    screenshot(page, "import-corrections.png")

    page.click("#import-confirm")
    page.wait_for_url(f"**/instruments/{iid}*")
    assert "3 corrections to the split were recorded" in page.content()
    assert page.console_errors == []

    def outline(session):
        latest = meetings.latest_meeting(session, iid)
        return [(v.number, v.heading, v.text) for v in texts.versions_as_of(session, latest)]

    assert seed(outline) == [
        (
            "Article 1",
            "Purpose",
            "The purpose is stated.\n\nArticle 2 – Scope\n\nIt applies to all.",
        ),
        ("", "Terms used below", "Terms mean what they say."),
        ("", "", "It enters into force."),
    ]


def test_a_refused_correction_is_said_and_the_preview_stays(page, seed, seed_users, tmp_path):
    iid = seed(
        lambda s: meetings.create_instrument(s, slug="conv", title="Convention", actor=None).id
    )
    login(page, "secretariat")
    page.goto(f"/instruments/{iid}/import/")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT + "\n\n" + "A very long paragraph " * 40, encoding="utf-8")
    page.set_input_files("input[name=file]", str(draft))
    page.fill("input[name=title]", "1st Plenary")
    page.fill("input[name=date]", "2026-01-10")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-preview")
    page.click("#fix-7-b")  # mark the long paragraph as a heading: over the heading limit
    page.wait_for_selector("#import-error:has-text('heading')")
    assert page.locator("#import-preview").is_visible()
    assert "2 new" in page.locator("#import-summary").inner_text()
    assert page.locator("#import-error").evaluate("e => e === document.activeElement")
    # The next accepted correction clears the message.
    page.click("#fix-4-b")
    page.wait_for_selector("#import-summary:has-text('3 new')")
    assert page.locator("#import-error").inner_text() == ""
