"""The notifications page and header count, preferences, and one-click unsubscribe (RFC 8058):
a POST with the signed token alone, no session and no CSRF token."""

from __future__ import annotations

import hashlib
import hmac
import re

from itsdangerous import URLSafeSerializer

from redline.services import notifications
from tests.outbox import queued


def _tell(db_session, users, who="civil", n=2, kind="reply"):
    tells = [
        notifications.Tell(users[who].id, kind, f"{kind}:{i}", f"Answer {i} <b>", "x", "/")
        for i in range(n)
    ]
    notifications.write(db_session, tells)
    db_session.commit()


def _url_of(header: str) -> str:
    return re.fullmatch(r"<https?://[^/]+(/.*)>", header).group(1)


def test_header_counts_unread_and_page_marks_read(db_session, users, auth, client):
    _tell(db_session, users)
    auth.login("civil")
    page = client.get("/notifications/").get_data(as_text=True)
    assert '2<span class="sr-only"> unread</span>' in page
    assert "Answer 1 &lt;b&gt;" in page and page.count(">New<") == 2  # in words, not colour
    assert auth.post("/notifications/read", {}).status_code == 302
    page = client.get("/notifications/").get_data(as_text=True)
    assert " unread</span>" not in page and ">New<" not in page


def test_one_cannot_mark_anothers_notifications(db_session, users, auth):
    _tell(db_session, users, n=1)
    (mine,) = notifications.listing(db_session, users["civil"].id)
    auth.login("dpa")
    assert auth.post("/notifications/read", {"id": str(mine.id)}).status_code == 302
    db_session.expire_all()
    assert notifications.unread_count(db_session, users["civil"].id) == 1


def test_preferences_are_saved_per_kind(db_session, users, auth, client):
    auth.login("civil")
    assert auth.post("/notifications/preferences", {"reply": "daily"}).status_code == 302
    chosen = notifications.preferences(db_session, users["civil"].id)
    assert chosen["reply"] == "daily" and chosen["deadline_near"] == "immediately"
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert re.search(r'name="reply" value="daily" checked', page)


def test_one_click_unsubscribe_needs_no_session_nor_csrf(db_session, users, client):
    _tell(db_session, users, n=1)
    (mail,) = queued(db_session)
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _url_of(mail["headers"]["List-Unsubscribe"])
    # Following the link (a mail scanner does) changes nothing.
    assert client.get(url).status_code == 200
    assert notifications.preferences(db_session, users["civil"].id)["reply"] == "immediately"
    r = client.post(url, data="List-Unsubscribe=One-Click")  # what a mail client sends
    assert r.status_code == 200
    assert notifications.preferences(db_session, users["civil"].id)["reply"] == "never"
    assert (
        notifications.preferences(db_session, users["civil"].id)["deadline_near"] == "immediately"
    )


def test_unsubscribe_token_is_single_purpose(app, db_session, users, client):
    key = app.config["SECRET_KEY"]
    good = notifications.unsubscribe_token(users["civil"].id, ["reply"])
    payload, _, signature = good.rpartition(".")
    plain = hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()
    civil = users["civil"].id
    bogus = f"{civil}.bogus.{notifications._signature(f'{civil}.bogus')}"
    for forged in (
        URLSafeSerializer(key).dumps({"u": users["civil"].id, "k": ["reply"]}),  # other signer
        f"{payload}.{plain}",  # the app's key, not this purpose's
        f"{users['dpa'].id}.reply.{signature}",  # another person
        f"{users['civil'].id}.deadline_near.{signature}",  # another kind
        bogus,  # well signed, but no such kind
    ):
        assert client.post(f"/notifications/unsubscribe/{forged}").status_code == 404
    assert notifications.preferences(db_session, users["civil"].id)["reply"] == "immediately"
    assert client.post(f"/notifications/unsubscribe/{good}").status_code == 200
