"""Who is told of what: every notification kind, every role, and nobody told of what they may
not see (each notification's link opens for its recipient); preferences, unsubscribe, digests."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from redline.models import Meeting, Notification, Provision, User, Version, utcnow
from redline.services import announcements, comments, consultations, notifications
from tests.factories import TREATY_1, TREATY_2, import_text
from tests.outbox import queued

PASSAGE = "such measures as may be necessary"


def _article(session, number: str, meeting_id: int | None = None) -> Version:
    q = sa.select(Version).join(Provision).where(Version.number == number)
    if meeting_id is not None:
        q = q.where(Version.meeting_id == meeting_id)
    return session.scalars(q.order_by(Version.id.desc())).first()


def _say(session, users, who, version, consultation=None, internal=False):
    start = version.text.index(PASSAGE)
    return comments.create_comment(
        session,
        users[who],
        version.provision,
        body=f"{who} on the scope",
        version_id=version.id,
        start=start,
        end=start + len(PASSAGE),
        exact=PASSAGE,
        consultation_id=consultation.id if consultation else None,
        internal=internal,
    )


@pytest.fixture
def told(db_session, users):
    """Every kind of event, once, with recipients of every role; returns {(kind, who)}."""
    first = import_text(db_session, TREATY_1, "1st Plenary", "2026-01-10").meeting
    now = utcnow()
    consultation = consultations.create_consultation(
        db_session,
        instrument=first.instrument,
        meeting_id=first.id,
        title="Consultation on the first draft",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        deadlines={
            "data_protection": now + timedelta(days=2),
            "industry": now - timedelta(hours=1),
        },
        actor=users["secretariat"],
    )
    scope = _article(db_session, "Article 2", first.id)
    civil = _say(db_session, users, "civil", scope, consultation)
    _say(db_session, users, "dpa", scope, consultation)
    internal = _say(db_session, users, "drafter2", scope, internal=True)
    for kw in ({"internal": True}, {}):  # an internal answer, then one the participant sees
        comments.create_comment(
            db_session, users["drafter"], scope.provision, body="Answer", parent_id=civil.id, **kw
        )
    comments.record_disposition(db_session, users["drafter"], civil, "partly", "Reworded.")
    comments.record_disposition(db_session, users["drafter"], internal, "noted", "Kept.")
    import_text(db_session, TREATY_2, "2nd Plenary", "2026-03-10")
    announcements.due(db_session, days=3)
    db_session.commit()
    by_id = {u.id: key for key, u in users.items()}
    rows = db_session.scalars(sa.select(Notification)).all()
    return {(n.kind, by_id[n.user_id]) for n in rows}, rows


EXPECTED = {
    # The drafting side hears of both drafts (the 1st had no actor: the secretariat too) and
    # of the publication (made by the secretariat, who is not told of its own act).
    *{("draft_imported", w) for w in ("secretariat", "drafter", "drafter2", "observer")},
    # Open for civil society and data protection; industry's window has closed.
    ("consultation_opened", "civil"),
    ("consultation_opened", "dpa"),
    ("deadline_near", "dpa"),  # two days left; civil society has thirty
    ("reply", "civil"),  # the answer in the consultation, not the internal one
    ("disposition", "drafter2"),  # stakeholders do not see dispositions before compilation
    # The 2nd Plenary's text is not published: only the drafting side's comment is news.
    ("passage_changed", "drafter2"),
}


def test_every_kind_reaches_exactly_who_may_see_it(told):
    pairs, _rows = told
    assert pairs == EXPECTED


def test_every_link_opens_for_its_recipient(told, client, auth, users):
    _pairs, rows = told
    by_id = {u.id: key for key, u in users.items()}
    for n in sorted(rows, key=lambda n: n.user_id):
        auth.logout()
        auth.login(by_id[n.user_id])
        url = urlsplit(n.link)
        path = url.path + (f"?{url.query}" if url.query else "")
        assert client.get(path).status_code == 200, (n.kind, by_id[n.user_id], n.link)


def test_running_the_schedule_again_tells_nobody_twice(told, db_session):
    assert announcements.due(db_session, days=3) == 0
    assert announcements.due(db_session, days=40) == 1  # civil society's deadline: new news


def test_immediate_mails_carry_one_click_unsubscribe(told, db_session, users):
    mails = queued(db_session)
    to_civil = [m for m in mails if m["to"] == users["civil"].email]
    assert {m["kind"] for m in to_civil} == {"consultation_opened", "reply"}
    for m in mails:
        assert m["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert m["headers"]["List-Unsubscribe"].startswith("<http")
        assert len({(x["key"]) for x in mails}) == len(mails)  # one idempotency key each


def test_daily_digest_gathers_and_is_idempotent(db_session, users):
    civil = users["civil"]
    notifications.set_preference(db_session, civil.id, "reply", "daily")
    notifications.set_preference(db_session, civil.id, "deadline_near", "never")
    tells = [
        notifications.Tell(civil.id, "reply", f"reply:{i}", f"Reply {i}", "", "/") for i in (1, 2)
    ] + [notifications.Tell(civil.id, "deadline_near", "deadline_near:9", "Soon", "", "/")]
    assert notifications.write(db_session, tells) == 3
    assert notifications.write(db_session, tells) == 0  # the same events: written once
    assert queued(db_session) == []  # nothing at once
    assert notifications.send_digests(db_session) == 1
    (digest,) = queued(db_session)
    assert "Reply 1" in digest["text"] and "Reply 2" in digest["text"]
    assert "Soon" not in digest["text"]  # "never" stays out of the digest too
    assert notifications.send_digests(db_session) == 0
    assert len(queued(db_session)) == 1
    assert notifications.unread_count(db_session, civil.id) == 3  # all still in the app


def test_preferences_refuse_unknown_values(db_session, users):
    with pytest.raises(notifications.BadInput):
        notifications.set_preferences(db_session, users["civil"].id, {"reply": "hourly"})
    assert notifications.preferences(db_session, users["civil"].id)["reply"] == "immediately"


def test_inactive_people_are_not_told(db_session, users):
    users["observer"].active = False
    tell = notifications.Tell(users["observer"].id, "draft_imported", "k", "t")
    assert notifications.write(db_session, [tell]) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == len(users)


def test_publishing_new_text_tells_stakeholders_of_their_changed_passages(
    told, db_session, users, client, auth
):
    second = db_session.scalar(sa.select(Meeting).where(Meeting.title == "2nd Plenary"))
    now = utcnow()
    consultations.create_consultation(
        db_session,
        instrument=second.instrument,
        meeting_id=second.id,
        title="Second round",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=30),
        actor=users["secretariat"],
    )
    by_id = {u.id: key for key, u in users.items()}
    changed = db_session.scalars(
        sa.select(Notification).where(Notification.kind == "passage_changed")
    ).all()
    assert sorted(by_id[n.user_id] for n in changed) == ["civil", "dpa", "drafter2"]
    db_session.commit()
    for n in changed:  # the redline at their passage opens for each of them
        auth.logout()
        auth.login(by_id[n.user_id])
        assert client.get(n.link.split("#")[0]).status_code == 200, n.link
