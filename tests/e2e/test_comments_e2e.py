"""In a real Chromium: a stakeholder selects a passage with the mouse, then another with the
keyboard, and comments on both; a drafter replies and records a disposition; the stakeholder's
margin shows the answer without a reload; the compilation shows it all.

The provision text has an emoji before the passages: the browser counts UTF-16 units, the
server code points, so a selection only lands if selection.js converts the offsets."""

from __future__ import annotations

import pytest

from redline.services import comments as comment_service
from tests.comment_helpers import publish, record
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e

TEXT = (
    "Each Party 🙂 shall adopt such legislative and other measures as may be necessary to "
    "empower its competent authorities to issue an order to a service provider in the "
    "territory of another Party."
)


def _setup(session):
    from redline.models import User

    users = {u.email.split("@")[0]: u for u in session.query(User)}
    users["secretariat"] = users["sec"]
    rec = record(session, users, text=TEXT)
    c = publish(session, users, rec)
    return rec.provision.id, rec.version.id, c.id


def _drag_select(page, pid: int, passage: str) -> None:
    """Press the mouse before the passage's first letter and release after its last."""
    box = page.evaluate(
        """([id, passage]) => {
          const el = document.getElementById(id);
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          const nodes = []; let node; let text = "";
          while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
          const at = text.indexOf(passage);
          const point = (offset) => {
            for (let i = nodes.length - 1; i >= 0; i--)
              if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
          };
          const range = document.createRange();
          const [n1, o1] = point(at); range.setStart(n1, o1); range.setEnd(n1, o1 + 1);
          const first = range.getBoundingClientRect();
          const [n2, o2] = point(at + passage.length - 1);
          range.setStart(n2, o2); range.setEnd(n2, o2 + 1);
          const last = range.getBoundingClientRect();
          return {x1: first.left + 1, y1: first.top + first.height / 2,
                  x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [f"text-{pid}", passage],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def test_stakeholder_comments_drafter_answers_compilation_shows_it(
    browser, live_server, seed, seed_users, app
):
    pid, vid, cid = seed(_setup)
    app.config["COMMENTS_POLL_SECONDS"] = 1  # the margin's live refresh, quickly
    try:
        _journey(browser, live_server, seed, pid, vid, cid)
    finally:
        app.config.pop("COMMENTS_POLL_SECONDS", None)


def _record_errors(page, errors: list[str]) -> None:
    """Console errors (a CSP violation shows only there), but not the browser's own favicon
    request: the app has none."""
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))


def _journey(browser, live_server, seed, pid, vid, cid):
    civil = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = civil.new_page()
    errors: list[str] = []
    _record_errors(page, errors)
    login(page, "civil")
    page.goto(f"/provisions/{pid}")
    page.wait_for_selector(f"#text-{pid}[data-commentable]")
    assert "open until" in page.locator(".window").inner_text()

    # 1. With the mouse.
    form = page.locator(f"#comment-form-{pid}")
    assert form.is_hidden()
    _drag_select(page, pid, "competent authorities")
    form.wait_for(state="visible")
    assert form.locator("[data-quote]").inner_text() == "competent authorities"
    assert form.locator("[name=body]").evaluate("el => el === document.activeElement")
    page.keyboard.type("Who are the competent authorities? <script>alert(1)</script>")
    form.locator("button[type=submit]").click()
    thread = page.locator(".thread", has_text="Who are the competent authorities?")
    thread.wait_for()
    assert "<script>alert(1)</script>" in thread.inner_text()  # shown as text
    mark = page.locator(f"#text-{pid} mark.anchor")
    assert mark.count() == 1 and mark.inner_text() == "competent authorities"

    # After posting, the focus lands on the new comment once the margin has settled; only then
    # take it back to the text (else the late focus move steals the next keys).
    page.wait_for_function(
        "document.activeElement && document.activeElement.id.startsWith('comment-')"
    )

    # 2. With the keyboard only: focus the text, S selects "Each", Shift+Right adds "Party".
    page.locator(f"#text-{pid}").focus()
    page.keyboard.press("s")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "Each Party"
    page.keyboard.press("Enter")
    form.wait_for(state="visible")
    assert form.locator("[data-quote]").inner_text() == "Each Party"
    page.keyboard.type("Which Parties?")
    page.keyboard.press("Tab")  # to "Post comment"
    page.keyboard.press("Enter")
    page.locator(".thread", has_text="Which Parties?").wait_for()
    assert page.locator(f"#text-{pid} mark.anchor").count() == 2
    shot = screenshot(page, "comments-stakeholder.png")
    assert shot.exists()

    # 3. A drafter replies and records a disposition.
    drafting = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    dpage = drafting.new_page()
    _record_errors(dpage, errors)
    login(dpage, "drafter")
    dpage.goto(f"/provisions/{pid}")
    dthread = dpage.locator(".thread", has_text="Who are the competent authorities?")
    dthread.wait_for()
    dthread.locator("button", has_text="Reply").click()
    dthread.locator("textarea[name=body]").fill("The authorities each Party designates.")
    dthread.locator("button", has_text="Post reply").click()
    dthread = dpage.locator(".thread", has_text="Who are the competent authorities?")
    dthread.locator("text=The authorities each Party designates.").wait_for()
    dthread.locator("button", has_text="Disposition").click()
    dthread.locator("select[name=disposition]").select_option("taken_into_account")
    dthread.locator("textarea[name=reason]").fill("Article 6(3) now names them.")
    dthread.locator("button", has_text="Record disposition").click()
    dpage.locator(".thread .disposition", has_text="Taken into account").wait_for()
    assert "resolved" in dpage.locator(".thread", has_text="Who are the competent").inner_text()
    screenshot(dpage, "comments-drafter.png")

    # 4. The stakeholder's margin shows the answer without a reload, with a counter.
    page.locator(".thread", has_text="The authorities each Party designates.").wait_for(
        timeout=10_000
    )
    assert "1 new" in page.locator(f"#comments-new-{pid}").inner_text()
    assert "Taken into account" not in page.locator(f"#comments-{pid}").inner_text()

    # 5. While the stakeholder is typing, news only updates the counter: the draft stays.
    page.locator("details.quote-form summary").click()
    page.locator(f"#quote-form-{pid} textarea[name=body]").fill("Half-written thought")
    dthread = dpage.locator(".thread", has_text="Who are the competent authorities?")
    dthread.locator("button", has_text="Reply").click()
    dthread.locator("textarea[name=body]").fill("And the list is public.")
    dthread.locator("button", has_text="Post reply").click()
    dpage.locator("text=And the list is public.").wait_for()
    page.locator(f"#comments-new-{pid} button", has_text="show").wait_for(timeout=10_000)
    # The counter said "1 new" already: wait for the poll that counts the second reply.
    page.wait_for_function(
        f"document.getElementById('comments-new-{pid}').innerText.includes('2 new')",
        timeout=10_000,
    )
    assert (
        page.locator(f"#quote-form-{pid} textarea[name=body]").input_value()
        == "Half-written thought"
    )
    assert page.locator("text=And the list is public.").count() == 0
    page.locator(f"#comments-new-{pid} button", has_text="show").click()
    page.locator("text=And the list is public.").wait_for()

    # 6. The compilation.
    dpage.goto(f"/consultations/{cid}/compilation")
    row = dpage.locator("table.compilation tr", has_text="Who are the competent authorities?")
    text = row.inner_text()
    assert "Civil Liberties <Union>" in text and "competent authorities" in text
    assert "Taken into account" in text and "Article 6(3) now names them." in text
    assert "The authorities each Party designates." in text
    screenshot(dpage, "comments-compilation.png")
    assert errors == []  # no CSP violation, no script error
    civil.close()
    drafting.close()


def test_after_the_deadline_the_form_is_gone(browser, live_server, seed, seed_users):
    from datetime import timedelta

    from redline.models import User, utcnow

    def build(session):
        users = {u.email.split("@")[0]: u for u in session.query(User)}
        users["secretariat"] = users["sec"]
        rec = record(session, users, text=TEXT)
        now = utcnow()
        c = publish(
            session, users, rec, opens=now - timedelta(days=10), closes=now - timedelta(days=1)
        )
        comment_service.create_comment(
            session,
            users["civil"],
            rec.provision,
            body="Made in time.",
            version_id=rec.version.id,
            start=TEXT.index("Party"),
            end=TEXT.index("Party") + 5,
            exact="Party",
            now=now - timedelta(days=5),
        )
        return rec.provision.id, c.id

    pid, _ = seed(build)
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    login(page, "civil")
    page.goto(f"/provisions/{pid}")
    page.locator(".thread", has_text="Made in time.").wait_for()
    assert "comments are no longer accepted" in page.locator(".window").inner_text()
    assert page.locator(f"#comment-form-{pid}").count() == 0
    assert page.locator(f"#text-{pid}[data-commentable]").count() == 0
    assert page.locator(".thread button", has_text="Reply").count() == 0
    context.close()
