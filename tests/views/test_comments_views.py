"""Comments in the browser: the margin fragment and its poll, posting (selected or quoted
passage), replies, edits, withdrawals, decisions, the version page; escaping."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from redline.models import Comment, utcnow
from redline.services import comments
from tests.comment_helpers import comment, publish, record, reply

HX = {"HX-Request": "true"}


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


@pytest.fixture
def consultation(db_session, users, rec):
    return publish(db_session, users, rec)


def margin(auth, rec, who, **query):
    auth.login(who)
    r = auth.client.get(f"/provisions/{rec.provision.id}/comments", headers=HX, query_string=query)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def post_comment(auth, rec, passage="competent authorities", body="A comment.", **extra):
    start = rec.version.text.index(passage)
    data = dict(
        version_id=rec.version.id,
        start=start,
        end=start + len(passage),
        exact=passage,
        body=body,
        form_id=f"comment-form-{rec.provision.id}",
        **extra,
    )
    return auth.post(f"/provisions/{rec.provision.id}/comments", data, htmx=True)


def test_the_provision_page_loads_the_margin_lazily(auth, rec):
    auth.login("drafter")
    page = auth.client.get(f"/provisions/{rec.provision.id}").get_data(as_text=True)
    assert f'id="comments-{rec.provision.id}"' in page
    assert f'hx-get="/provisions/{rec.provision.id}/comments"' in page
    assert 'hx-trigger="load"' in page
    assert '<script src="/static/js/selection.js" defer></script>' in page


def test_the_margin_marks_passages_and_lists_threads(db_session, users, auth, rec, consultation):
    c = comment(db_session, users, rec, "civil")
    html = margin(auth, rec, "drafter")
    assert f'id="thread-{c.id}"' in html
    # The text, swapped out of band, with the passage marked and its text content unchanged.
    m = re.search(
        r'<div class="text commentable" id="text-(\d+)" data-version="(\d+)" '
        r'hx-swap-oob="true"[^>]*>(.*?)</div>',
        html,
        re.S,
    )
    assert m and int(m.group(1)) == rec.provision.id and int(m.group(2)) == rec.version.id
    mark = f'<mark class="anchor" data-threads="{c.id}" aria-describedby="comment-{c.id}">'
    assert f"{mark}competent authorities</mark>" in m.group(3)
    assert re.sub(r"<[^>]+>", "", m.group(3)) == rec.version.text
    assert "Civil Liberties &lt;Union&gt;" in html  # organisation names are text
    assert 'name="consultation_id"' in html  # drafters may post into the consultation


def test_stakeholder_sees_the_window_and_the_form(auth, rec, consultation):
    html = margin(auth, rec, "civil")
    assert "for your category" in html and "open until" in html
    assert f'id="comment-form-{rec.provision.id}"' in html
    assert 'name="consultation_id"' not in html


def test_after_the_deadline_the_page_says_so_and_the_form_is_gone(db_session, users, auth, rec):
    now = utcnow()
    publish(db_session, users, rec, opens=now - timedelta(days=20), closes=now - timedelta(days=1))
    html = margin(auth, rec, "civil")
    assert "comments are no longer accepted" in html
    assert "comment-form-" not in html and "quote-form-" not in html
    assert "data-commentable" not in html
    r = post_comment(auth, rec)
    assert r.status_code == 200 and "no longer accepted" in r.get_data(as_text=True)
    assert r.headers["HX-Reswap"] == "none"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_observers_read_without_a_form(db_session, users, auth, rec, consultation):
    comment(db_session, users, rec, "drafter")
    html = margin(auth, rec, "observer")
    assert "do not write" in html and "comment-form-" not in html
    assert "Reply</button>" not in html


def test_posting_answers_204_and_the_margin_reloads(db_session, auth, rec, consultation):
    auth.login("civil")
    r = post_comment(auth, rec, body="Please narrow this.")
    assert r.status_code == 204
    made = db_session.scalar(sa.select(Comment))
    # The trigger names the new comment: the margin reloads and the focus goes to it.
    trigger = json.loads(r.headers["HX-Trigger"])
    assert trigger == {"commentsChanged": {"focus": f"comment-{made.id}"}}
    assert (made.visibility, made.consultation_id) == ("consultation", consultation.id)
    assert "Please narrow this." in margin(auth, rec, "civil")


def test_a_plain_form_post_redirects_back_or_shows_the_error(db_session, auth, rec, consultation):
    auth.login("drafter")
    start = rec.version.text.index("Each Party")
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id,
            start=start,
            end=start + 10,
            exact="Each Party",
            body="x",
            next=f"/provisions/{rec.provision.id}/at/{rec.version.id}",
        ),
    )
    assert r.status_code == 302 and r.location.endswith(f"/at/{rec.version.id}")
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id, start=0, end=4, exact="Each", body="x", next="//evil.example"
        ),
    )
    assert r.status_code == 302 and r.location == f"/provisions/{rec.provision.id}"
    # Without htmx an error is a page with its status and message.
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(version_id=rec.version.id, start=0, end=4, exact="Nope", body="x"),
    )
    assert r.status_code == 400 and "does not match" in r.get_data(as_text=True)


def test_a_wrong_selection_is_shown_beside_the_form(auth, rec):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id,
            start=0,
            end=4,
            exact="Nope",
            body="x",
            form_id=f"comment-form-{rec.provision.id}",
        ),
        htmx=True,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["HX-Reswap"] == "none"
    assert f'id="error-comment-form-{rec.provision.id}"' in html and 'hx-swap-oob="true"' in html
    assert "does not match" in html


@pytest.mark.parametrize(
    ("quote", "outcome"),
    [
        ("competent   authorities", "created"),
        ("COMPETENT AUTHORITIES", "created"),  # no other case: found ignoring case
        ("the Party", "occur 2 times"),
        ("absent words", "not in this version"),
        ("   ", "Type or paste"),
    ],
)
def test_the_keyboard_way_quote_the_passage(db_session, auth, rec, quote, outcome):
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id,
            quote=quote,
            body="By quote.",
            form_id=f"quote-form-{rec.provision.id}",
        ),
        htmx=True,
    )
    if outcome == "created":
        assert r.status_code == 204
        made = db_session.scalar(sa.select(Comment))
        assert made.exact == "competent authorities"
        assert rec.version.text[made.start : made.end] == made.exact
    else:
        assert outcome in r.get_data(as_text=True)
        assert f'id="error-quote-form-{rec.provision.id}"' in r.get_data(as_text=True)


def test_reply_edit_withdraw_resolve_and_disposition(db_session, users, auth, rec, consultation):
    c = comment(db_session, users, rec, "civil")
    auth.login("drafter")
    form = auth.htmx_get(f"/comments/{c.id}/forms/reply").get_data(as_text=True)
    assert f'name="parent_id" value="{c.id}"' in form and 'name="internal"' in form
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(parent_id=c.id, body="We will look at it."),
        htmx=True,
    )
    assert r.status_code == 204
    assert auth.htmx_get(f"/comments/{c.id}/forms/edit").status_code == 403  # not the author
    form = auth.htmx_get(f"/comments/{c.id}/forms/disposition").get_data(as_text=True)
    assert "Partly taken into account" in form
    r = auth.post(
        f"/comments/{c.id}/disposition",
        dict(disposition="partly", reason="See paragraph 2.", resolve="1"),
        htmx=True,
    )
    assert r.status_code == 204
    db_session.refresh(c)
    assert (c.disposition, c.disposition_reason, c.status) == (
        "partly",
        "See paragraph 2.",
        "resolved",
    )
    assert auth.post(f"/comments/{c.id}/status", dict(status="open"), htmx=True).status_code == 204
    db_session.refresh(c)
    assert c.status == "open"
    html = margin(auth, rec, "drafter")
    assert "Partly taken into account" in html and "We will look at it." in html
    auth.logout()
    auth.login("civil")
    assert "Partly taken into account" not in margin(auth, rec, "civil")  # drafters' side only
    assert "We will look at it." in margin(auth, rec, "civil")  # the answer to their thread
    form = auth.htmx_get(f"/comments/{c.id}/forms/edit").get_data(as_text=True)
    assert "Please clarify." in form
    assert auth.post(f"/comments/{c.id}/edit", dict(body="Clearer."), htmx=True).status_code == 204
    assert auth.post(f"/comments/{c.id}/withdraw", {}, htmx=True).status_code == 204
    db_session.refresh(c)
    assert (c.body, c.withdrawn) == ("Clearer.", True)
    html = margin(auth, rec, "civil")
    assert "Withdrawn by its author" in html and "Clearer." not in html
    assert "Clearer." in margin(auth, rec, "drafter")  # kept: the drafting side still reads it


def test_action_errors_come_back_beside_the_form(db_session, users, auth, rec):
    c = comment(db_session, users, rec, "drafter")
    auth.login("drafter")
    r = auth.post(
        f"/comments/{c.id}/disposition",
        dict(disposition="maybe", form_id=f"disposition-form-{c.id}"),
        htmx=True,
    )
    assert r.headers["HX-Reswap"] == "none"
    assert f'id="error-disposition-form-{c.id}"' in r.get_data(as_text=True)
    r = auth.post(f"/comments/{c.id}/edit", dict(body="", form_id=f"edit-form-{c.id}"), htmx=True)
    assert "empty" in r.get_data(as_text=True)


def test_the_poll_answers_204_until_something_changes(db_session, users, auth, rec):
    html = margin(auth, rec, "drafter")
    poll = re.search(r'class="poller" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert auth.client.get(poll, headers=HX).status_code == 204
    c = comment(db_session, users, rec, "drafter2", body="Fresh from a colleague.")
    r = auth.client.get(poll, headers=HX)
    assert r.status_code == 200 and "Fresh from a colleague." in r.get_data(as_text=True)
    assert "1 new" in r.get_data(as_text=True) and "badge-new" in r.get_data(as_text=True)
    # Someone is typing: only the counter changes, the margin (and the draft) stays.
    r = auth.client.get(poll + "&editing=1", headers=HX)
    html = r.get_data(as_text=True)
    assert r.headers["HX-Reswap"] == "none"
    assert f'id="comments-new-{rec.provision.id}"' in html and "1 new" in html
    assert 'hx-swap-oob="true"' in html and ">show</button>" in html
    assert f"thread-{c.id}" not in html


def test_the_poll_notices_resolution_too(db_session, users, auth, rec):
    c = comment(db_session, users, rec, "drafter2")
    html = margin(auth, rec, "drafter")
    poll = re.search(r'class="poller" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    comments.set_status(db_session, users["drafter2"], c, "resolved")
    db_session.commit()
    assert auth.client.get(poll, headers=HX).status_code == 200


def test_the_poll_of_a_stakeholder_ignores_what_they_may_not_see(
    db_session, users, auth, rec, consultation
):
    """Issue 12, fault 7: a drafter's internal comment, reply or resolution must not turn a
    stakeholder's 204 into a 200 with a new stamp; something they can see still does."""
    html = margin(auth, rec, "civil")
    poll = re.search(r'class="poller" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert auth.client.get(poll, headers=HX).status_code == 204
    hidden = comment(db_session, users, rec, "drafter", body="Internal only.", internal=True)
    assert hidden.visibility == "internal"
    reply(db_session, users, rec, "drafter2", hidden, body="Internal reply.")
    comments.set_status(db_session, users["drafter2"], hidden, "resolved")
    db_session.commit()
    assert auth.client.get(poll, headers=HX).status_code == 204
    comment(db_session, users, rec, "civil", body="Our own view.")
    r = auth.client.get(poll, headers=HX)
    assert r.status_code == 200 and "Our own view." in r.get_data(as_text=True)
    assert "Internal" not in r.get_data(as_text=True)
    # The drafting side's poll does notice the internal activity.
    html = margin(auth, rec, "drafter")
    poll = re.search(r'class="poller" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    comment(db_session, users, rec, "drafter2", body="Another internal.", internal=True)
    assert auth.client.get(poll, headers=HX).status_code == 200


def test_version_page_and_comment_permalink(db_session, users, auth, rec):
    c = comment(db_session, users, rec, "drafter")
    r = reply(db_session, users, rec, "drafter2", c)
    auth.login("observer")
    resp = auth.client.get(f"/comments/{r.id}")
    assert resp.status_code == 302
    assert resp.location.endswith(
        f"/provisions/{rec.provision.id}/at/{rec.version.id}#thread-{c.id}"
    )
    page = auth.client.get(f"/provisions/{rec.provision.id}/at/{rec.version.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'hx-get="/provisions/{rec.provision.id}/comments?version={rec.version.id}"' in html
    pinned = margin(auth, rec, "observer", version=rec.version.id)
    assert f"version={rec.version.id}" in pinned  # the poll stays on this version


@pytest.mark.parametrize("evil", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_comment_bodies_stay_text(db_session, users, auth, rec, consultation, evil):
    c = comment(db_session, users, rec, "civil", body=f"Look: {evil}")
    reply(db_session, users, rec, "drafter", c, body=evil)
    for who in ("drafter", "civil"):
        html = margin(auth, rec, who)
        assert evil not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html
        auth.logout()


def test_organisation_names_and_quoted_text_stay_text(db_session, users, auth):
    rec = record(db_session, users, text="Use <b>bold</b> & <i>care</i> here.")
    users["dpa"].organisation = "<b>Bold DPA</b>"
    db_session.commit()
    publish(db_session, users, rec, visible=True)
    comment(db_session, users, rec, "dpa", passage="<b>bold</b>")
    html = margin(auth, rec, "civil")
    assert "<b>" not in html
    assert "&lt;b&gt;Bold DPA&lt;/b&gt;" in html
    assert '<mark class="anchor" data-threads' in html and "&lt;b&gt;bold&lt;/b&gt;</mark>" in html


def test_a_long_margin_comes_page_by_page(db_session, users, auth, rec):
    from redline.views.comments.threads import PAGE

    words = rec.version.text.split(" ")
    made = []
    for i in range(PAGE * 2 + 3):
        start = len(" ".join(words[: i % len(words)])) + (1 if i % len(words) else 0)
        word = words[i % len(words)]
        made.append(
            comments.create_comment(
                db_session,
                users["drafter"],
                rec.provision,
                body=f"Comment number {i}.",
                version_id=rec.version.id,
                start=start,
                end=start + len(word),
                exact=word,
            )
        )
    db_session.commit()
    html = margin(auth, rec, "observer")
    assert html.count('<li class="thread') == PAGE
    assert html.count("<mark") >= len(set(words[: PAGE * 2 + 3]))  # every passage is marked
    more = re.search(r'<li class="more" data-part="placed" hx-get="([^"]+)"', html).group(1)
    page2 = auth.client.get(more.replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert page2.count('<li class="thread') == PAGE and 'class="more"' in page2
    # Clicking a marked passage far down loads every thread up to it.
    last = max(made, key=lambda c: (c.start, c.end, c.id))
    until = auth.client.get(more.replace("&amp;", "&") + f"&until={last.id}", headers=HX)
    body = until.get_data(as_text=True)
    assert f'id="thread-{last.id}"' in body and 'class="more"' not in body
    assert (
        auth.client.get(
            f"/provisions/{rec.provision.id}/comments/threads?part=nope", headers=HX
        ).status_code
        == 400
    )


def test_no_edit_form_after_the_deadline(db_session, users, auth, rec, consultation):
    """After their window closes a stakeholder is not offered a form that could only be refused."""
    c = comment(db_session, users, rec, "civil")
    auth.login("civil")
    assert auth.htmx_get(f"/comments/{c.id}/forms/edit").status_code == 200
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    r = auth.htmx_get(f"/comments/{c.id}/forms/edit")
    assert r.status_code == 403 and "closed" in r.get_data(as_text=True).lower()
