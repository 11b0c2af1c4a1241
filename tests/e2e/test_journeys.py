"""Whole journeys in a real Chromium, the way each kind of person works:

(a) the secretariat imports the draft of a meeting through the import form (preview: unchanged,
    changed, new, removed; then confirm) and publishes that meeting's text for consultation;
(b) a stakeholder comments on a passage selected with the mouse and on one selected with the
    keyboard only (Tab, S, arrows, Enter: static/js/selection.js) and sees both in the margin;
(c) a drafter edits the provision at the next meeting, reads the redline on the compare page and
    records a disposition on the stakeholder's comment;
(d) two drafters editing at once without losing a word is tests/e2e/test_drafting_e2e.py
    (test_two_drafters_edit_the_same_provision_and_nothing_is_lost), not repeated here.

Each journey uses the `page` fixture for its main person, so a failure leaves a screenshot in
test-artifacts/ (tests/e2e/conftest.py), and checks that no script error or CSP violation
reached the console.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from redline.models import Consultation, Meeting, User
from redline.services import meetings
from tests.comment_helpers import comment, publish, record
from tests.e2e.conftest import login, screenshot
from tests.factories import two_meetings

pytestmark = pytest.mark.e2e

# The test protocol's third draft (tests/factories.py has the first two): Preamble, Articles 1
# and 2 unchanged, Article 3 changed, Article 4 dropped, Article 5 new.
THIRD_DRAFT = """# title: Test Protocol

Preamble

The Parties hereto, considering the need for cooperation,

Article 1 – Purpose

The purpose of this Protocol is to supplement the Convention.

Article 2 – Definitions

For the purposes of this Protocol, "central authority" means the authority designated.

Article 3 – Scope

1. This Protocol applies to specific criminal investigations and proceedings.

2. Each Party shall adopt such legislative and other measures as may be necessary.

Article 5 – Signature and entry into force

This Protocol shall be open for signature by the Parties to the Convention.
"""


def _users(session) -> dict[str, User]:
    users = {u.email.split("@")[0]: u for u in session.scalars(sa.select(User))}
    users["secretariat"] = users["sec"]
    return users


def _minutes(when: datetime) -> str:
    """A UTC time as an <input type=datetime-local> takes it."""
    return when.strftime("%Y-%m-%dT%H:%M")


# --- (a) import a draft, publish it -------------------------------------------------------


def test_secretariat_imports_a_draft_and_opens_a_consultation(page, seed, seed_users, app):
    iid = seed(lambda s: two_meetings(s)[0].id)
    login(page, "secretariat")
    page.goto(f"/instruments/{iid}/import/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "third-draft.txt", "mimeType": "text/plain", "buffer": THIRD_DRAFT.encode()}
        ],
    )
    page.fill("input[name=title]", "3rd Plenary")
    page.select_option("select[name=kind]", "plenary")
    page.fill("input[name=date]", "2019-06-12")
    page.check("input[name=closed]")  # the text a consultation publishes is frozen
    page.get_by_role("button", name="Preview").click()

    # The preview: how each provision of the draft matches the current text.
    page.wait_for_selector("#import-preview")
    summary = page.locator("#import-summary").inner_text()
    for wanted in ("3 unchanged", "1 changed", "1 new", "1 removed"):
        assert wanted in summary, summary
    rows = page.locator("#import-preview tbody tr")
    assert rows.filter(has_text="Article 3 – Scope").locator("strong").inner_text() == "changed"
    assert rows.filter(has_text="Article 5").locator("strong").inner_text() == "new"
    assert rows.filter(has_text="Direct disclosure").locator("strong").inner_text() == "removed"
    with app.app_context():  # nothing is recorded before the confirmation
        from redline.extensions import db

        assert (
            db.session.scalar(sa.select(Meeting.id).where(Meeting.title == "3rd Plenary")) is None
        )
    screenshot(page, "journey-import-preview.png")
    page.get_by_role("button", name="Record 3rd Plenary").click()
    page.wait_for_url(re.compile(rf"/instruments/{iid}\?meeting=\d+"))
    notice = page.locator(".flash-success").inner_text()
    assert "Imported '3rd Plenary': 1 added, 1 changed, 3 unchanged, 1 removed." in notice
    text = page.locator("main").inner_text()
    assert "Article 5 – Signature and entry into force" in text
    assert "Direct disclosure" not in text

    # Publish the 3rd Plenary's text, with an earlier deadline for industry.
    page.goto(f"/instruments/{iid}/consultations")
    third = page.locator("select[name=meeting_id] option", has_text="3rd Plenary")
    page.select_option("select[name=meeting_id]", third.get_attribute("value"))
    page.fill("input[name=title]", "Consultation on the 3rd Plenary text")
    now = datetime.now(UTC)
    page.fill("input[name=opens]", _minutes(now - timedelta(hours=1)))
    page.fill("input[name=closes]", _minutes(now + timedelta(days=30)))
    page.fill("input[name=deadline_industry]", _minutes(now + timedelta(days=20)))
    page.get_by_role("button", name="Publish for consultation").click()
    page.wait_for_url(re.compile(r"/consultations/\d+$"))
    assert page.locator("h1").inner_text() == "Consultation on the 3rd Plenary text"
    assert "Text of 3rd Plenary" in page.locator("main").inner_text()
    assert "Article 5 – Signature and entry into force" in page.locator("main").inner_text()
    screenshot(page, "journey-consultation.png")
    with app.app_context():
        from redline.extensions import db

        c = db.session.scalar(sa.select(Consultation))
        assert c.meeting.title == "3rd Plenary" and not c.meeting.is_open
        assert [(d.category, d.closes_at < c.closes_at) for d in c.deadlines] == [
            ("industry", True)
        ]
    assert page.console_errors == []


# --- (b) a stakeholder comments by mouse and by keyboard ------------------------------------

TEXT = (
    "Each Party shall adopt such legislative and other measures as may be necessary to "
    "empower its competent authorities to issue an order to a service provider in the "
    "territory of another Party."
)


def _published_provision(session) -> dict:
    """One provision at a closed, published 1st Plenary; the 2nd Plenary is open."""
    users = _users(session)
    rec = record(session, users, text=TEXT)
    meetings.create_meeting(
        session,
        rec.instrument,
        title="2nd Plenary",
        kind="plenary",
        on=date(2026, 3, 1),
        actor=users["secretariat"],
    )
    meetings.close_meeting(session, rec.meeting, users["secretariat"])
    c = publish(session, users, rec)
    return {"pid": rec.provision.id, "vid": rec.version.id, "cid": c.id, "rec": rec, "users": users}


def _select_with_mouse(page, element_id: str, passage: str) -> None:
    """Select `passage` as a mouse would leave it (a Range), then release the button."""
    page.evaluate(
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
          range.setStart(...point(at));
          range.setEnd(...point(at + passage.length));
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          el.dispatchEvent(new PointerEvent("pointerup", {bubbles: true, pointerType: "mouse"}));
          el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        [element_id, passage],
    )


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab from the top of the page until `element_id` has the focus."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_stakeholder_comments_by_mouse_and_by_keyboard(page, seed, seed_users, app):
    ids = seed(
        lambda s: {k: v for k, v in _published_provision(s).items() if k in ("pid", "vid", "cid")}
    )
    pid = ids["pid"]
    login(page, "civil")
    page.goto(f"/provisions/{pid}")
    page.wait_for_selector(f"#text-{pid}[data-commentable]")
    form = page.locator(f"#comment-form-{pid}")
    assert form.is_hidden()

    # With the mouse: the form opens on the passage, the cursor in the comment box.
    _select_with_mouse(page, f"text-{pid}", "competent authorities")
    form.wait_for(state="visible")
    assert form.locator("[data-quote]").inner_text() == "competent authorities"
    form.locator("[name=body]").fill("Which authorities are competent?")
    form.get_by_role("button", name="Post comment").click()
    page.locator(".thread", has_text="Which authorities are competent?").wait_for()

    # With the keyboard only: Tab to the text, S selects its first word, arrows move to
    # "service", Shift+Right adds "provider", Enter opens the form.
    _tab_to(page, f"text-{pid}")
    page.keyboard.press("s")
    assert page.evaluate("window.getSelection().toString()") == "Each"
    words = TEXT.split()
    for _ in range(words.index("service")):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "service provider"
    assert page.locator(f"#select-status-{pid}").inner_text() == "Selected: service provider"
    page.keyboard.press("Enter")
    form.wait_for(state="visible")
    assert form.locator("[data-quote]").inner_text() == "service provider"
    assert form.locator("[name=body]").evaluate("el => el === document.activeElement")
    page.keyboard.type("Does this cover hosting providers?")
    page.keyboard.press("Tab")  # to "Post comment"
    page.keyboard.press("Enter")
    page.locator(".thread", has_text="Does this cover hosting providers?").wait_for()

    # Both threads in the margin, in text order, their passages marked in the text.
    threads = page.locator(f"#comments-{pid} .thread")
    assert threads.count() == 2
    assert "Which authorities" in threads.nth(0).inner_text()
    assert "hosting providers" in threads.nth(1).inner_text()
    marks = page.locator(f"#text-{pid} mark.anchor")
    assert marks.all_inner_texts() == ["competent authorities", "service provider"]
    screenshot(page, "journey-stakeholder-comments.png")
    with app.app_context():
        from redline.extensions import db
        from redline.models import Comment

        made = db.session.scalars(sa.select(Comment).order_by(Comment.id)).all()
        assert [(c.exact, c.visibility, c.consultation_id) for c in made] == [
            ("competent authorities", "consultation", ids["cid"]),
            ("service provider", "consultation", ids["cid"]),
        ]
        assert TEXT[made[1].start : made[1].end] == "service provider"
    assert page.console_errors == []


# --- (c) a drafter edits, reads the redline, records a disposition --------------------------


def _commented_provision(session) -> dict:
    built = _published_provision(session)
    comment(
        session,
        built["users"],
        built["rec"],
        "civil",
        passage="competent authorities",
        body="Please name the competent authorities.",
    )
    return {"pid": built["pid"], "vid": built["vid"]}


def test_drafter_edits_reads_the_redline_and_records_a_disposition(page, seed, seed_users, app):
    ids = seed(_commented_provision)
    pid = ids["pid"]
    login(page, "drafter")
    page.goto(f"/provisions/{pid}")
    thread = page.locator(".thread", has_text="Please name the competent authorities.")
    thread.wait_for()

    # Edit at the open 2nd Plenary, in the inline editor.
    page.locator(f"#block-{pid}").get_by_role("button", name="Edit").click()
    editor = page.locator(f"#block-{pid} textarea[name=text]")
    editor.wait_for()
    assert "Saved in: 2nd Plenary" in page.locator(f"#block-{pid}").inner_text()
    edited = TEXT.replace("legislative and other", "legislative").replace(
        "a service provider", "a service provider or a registrar"
    )
    editor.fill(edited)
    page.locator(f"#block-{pid} input[name=message]").fill("Registrars added, as agreed.")
    page.locator(f"#block-{pid}").get_by_role("button", name="Save").click()
    page.locator(f"#block-{pid}", has_text="Saved.").wait_for()
    assert "or a registrar" in page.locator(f"#text-{pid}").inner_text()

    # The redline between the published text and the new one.
    page.goto(f"/provisions/{pid}/compare")
    body = page.locator("#redline-body")
    body.wait_for()
    assert "or a registrar" in " ".join(body.locator("ins").all_inner_texts())
    assert "and other" in " ".join(body.locator("del").all_inner_texts())
    assert "1st Plenary" in page.locator("main").inner_text()
    assert "2nd Plenary" in page.locator("main").inner_text()
    screenshot(page, "journey-redline.png")

    # The stakeholder's passage survived the edit: the disposition is recorded beside it.
    page.goto(f"/provisions/{pid}")
    thread = page.locator(".thread", has_text="Please name the competent authorities.")
    thread.wait_for()
    thread.get_by_role("button", name="Disposition").click()
    thread.locator("select[name=disposition]").select_option("taken_into_account")
    thread.locator("textarea[name=reason]").fill("Paragraph 3 now names them.")
    thread.get_by_role("button", name="Record disposition").click()
    page.locator(".thread .disposition", has_text="Taken into account").wait_for()
    decided = page.locator(".thread", has_text="Please name the competent authorities.")
    assert "resolved" in decided.inner_text()
    assert "Paragraph 3 now names them." in decided.inner_text()
    with app.app_context():
        from redline.extensions import db
        from redline.models import Comment

        c = db.session.scalar(sa.select(Comment))
        assert (c.disposition, c.status) == ("taken_into_account", "resolved")
    assert page.console_errors == []
