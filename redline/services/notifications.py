"""Telling people: in-app notifications written in bulk in the event's transaction, the
e-mail each person chose for the kind (now, in the daily digest, or never), one-click
unsubscribe links, the notifications page and its unread count.

Who is told of an event is decided in :mod:`redline.services.announcements` with the access
rules of :mod:`redline.services.policy`; this module only writes what it is given.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from redline.models import (
    DELIVERIES,
    NOTIFICATION_KIND_LABELS,
    NOTIFICATION_KINDS,
    Notification,
    NotificationPreference,
    User,
    utcnow,
)
from redline.models.notifications import DEFAULT_DELIVERY
from redline.services.errors import BadInput, NotFound
from redline.services.mail import queue_mail

PAGE_SIZE = 50
UNSUBSCRIBE_SALT = "redline.notifications.unsubscribe"  # this token does nothing else


@dataclass(frozen=True)
class Tell:
    """One notification to write: `key` names the event, so telling twice writes once."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    link: str = ""


# --- Preferences -------------------------------------------------------------------------------


def preferences(session: Session, user_id: int) -> dict[str, str]:
    """Every kind with this person's delivery (the default where they chose nothing)."""
    chosen = dict(
        session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in NOTIFICATION_KINDS}


def set_preference(session: Session, user_id: int, kind: str, delivery: str) -> None:
    if kind not in NOTIFICATION_KINDS:
        raise BadInput(f"Unknown notification kind '{kind}'.")
    if delivery not in DELIVERIES:
        raise BadInput(f"Choose one of: {', '.join(DELIVERIES)}.")
    row = session.scalar(
        sa.select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    if row is None:
        session.add(NotificationPreference(user_id=user_id, kind=kind, delivery=delivery))
    else:
        row.delivery = delivery


def set_preferences(session: Session, user_id: int, form) -> dict[str, str]:
    """The preferences form: one choice per kind; a bad value changes nothing."""
    chosen = {kind: form.get(kind, DEFAULT_DELIVERY) for kind in NOTIFICATION_KINDS}
    for delivery in chosen.values():
        if delivery not in DELIVERIES:
            raise BadInput(f"Choose one of: {', '.join(DELIVERIES)} for each kind.")
    for kind, delivery in chosen.items():
        set_preference(session, user_id, kind, delivery)
    return chosen


# --- Unsubscribe ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    """This token's own key, derived from SECRET_KEY: a signature made for any other purpose
    (a session cookie, a reset link) never verifies here."""
    return hmac.new(secret.encode(), UNSUBSCRIBE_SALT.encode(), hashlib.sha256).digest()


def _signature(payload: str) -> str:
    key = _key(current_app.config["SECRET_KEY"])
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def unsubscribe_token(user_id: int, kinds: list[str]) -> str:
    """`<user>.<kind>+<kind>.<hmac>`: a plain HMAC, as one import may sign thousands."""
    payload = f"{user_id}.{'+'.join(sorted(kinds))}"
    return f"{payload}.{_signature(payload)}"


def unsubscribe(session: Session, token: str) -> tuple[User, list[str]]:
    """Stop the e-mails of the kinds the signed token names, for its person (RFC 8058): a
    notification's mail names its kind, a digest's the kinds it gathered."""
    payload, _, signature = token[:1000].rpartition(".")
    user_id, _, kinds_part = payload.partition(".")
    if not hmac.compare_digest(signature, _signature(payload)) or not user_id.isdigit():
        raise NotFound("This unsubscribe link is not valid.")
    kinds = kinds_part.split("+")
    user = session.get(User, int(user_id))
    if user is None or not kinds or any(k not in NOTIFICATION_KINDS for k in kinds):
        raise NotFound("This unsubscribe link is not valid.")
    for kind in kinds:
        set_preference(session, user.id, kind, "never")
    return user, kinds


def public_url(path: str) -> str:
    return current_app.config.get("PUBLIC_URL", "http://localhost:5000").rstrip("/") + path


def mail_headers(user_id: int, kinds: list[str]) -> dict[str, str]:
    """RFC 2369 / RFC 8058 one-click unsubscribe from these kinds."""
    url = public_url(f"/notifications/unsubscribe/{unsubscribe_token(user_id, kinds)}")
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mail_text(name: str, items: list[tuple[str, str, str]], kind_note: str) -> str:
    lines = [f"Dear {name},", ""]
    for title, body, link in items:
        lines.append(title)
        if body:
            lines.append(body)
        if link:
            lines.append(public_url(link))
        lines.append("")
    lines.append(kind_note)
    lines.append(f"Choose what you are told: {public_url('/notifications/preferences')}")
    return "\n".join(lines)


# --- Writing -------------------------------------------------------------------------------------


def write(session: Session, tells: list[Tell], now: datetime | None = None) -> int:
    """Write the notifications not written before (by user and key), in a few statements,
    and queue the e-mail of those whose person wants it at once. Returns how many."""
    now = now or utcnow()
    tells = list({(t.user_id, t.key): t for t in tells}.values())
    if not tells:
        return 0
    user_ids = sorted({t.user_id for t in tells})
    people: dict[int, tuple[str, str]] = {}
    seen: set[tuple[int, str]] = set()
    chosen: dict[tuple[int, str], str] = {}
    # Expanding parameters: thousands of ids bound as one list, not coerced one by one.
    ids_param = sa.bindparam("ids", expanding=True)
    keys_param = sa.bindparam("keys", expanding=True)
    keys = sorted({t.key for t in tells})
    for chunk in range(0, len(user_ids), 500):
        ids = user_ids[chunk : chunk + 500]
        people.update(
            (r.id, (r.email, r.name))
            for r in session.execute(
                sa.select(User.id, User.email, User.name).where(
                    User.id.in_(ids_param), User.active
                ),
                {"ids": ids},
            )
        )
        for at in range(0, len(keys), 500):
            seen.update(
                session.execute(
                    sa.select(Notification.user_id, Notification.key).where(
                        Notification.user_id.in_(ids_param), Notification.key.in_(keys_param)
                    ),
                    {"ids": ids, "keys": keys[at : at + 500]},
                ).all()
            )
        chosen.update(
            ((r.user_id, r.kind), r.delivery)
            for r in session.execute(
                sa.select(
                    NotificationPreference.user_id,
                    NotificationPreference.kind,
                    NotificationPreference.delivery,
                ).where(NotificationPreference.user_id.in_(ids_param)),
                {"ids": ids},
            )
        )
    fresh = [t for t in tells if t.user_id in people and (t.user_id, t.key) not in seen]
    rows = []
    for t in fresh:
        delivery = chosen.get((t.user_id, t.kind), DEFAULT_DELIVERY)
        rows.append(
            dict(
                user_id=t.user_id,
                kind=t.kind,
                key=t.key,
                title=t.title[:300],
                body=t.body,
                link=t.link[:500],
                delivery=delivery,
                mailed_at=now if delivery == "immediately" else None,
                created_at=now,
            )
        )
        if delivery == "immediately":
            email, name = people[t.user_id]
            queue_mail(
                session,
                to=email,
                subject=f"[Redline] {t.title}"[:300],
                text=_mail_text(
                    name,
                    [(t.title, t.body, t.link)],
                    f"You receive this because of: {NOTIFICATION_KIND_LABELS[t.kind]}.",
                ),
                kind="notification",
                key=f"notification:{t.user_id}:{t.key}",
                headers=mail_headers(t.user_id, [t.kind]),
            )
    if rows:
        session.execute(sa.insert(Notification.__table__), rows)
    return len(rows)


# --- Reading -------------------------------------------------------------------------------------


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def listing(session: Session, user_id: int, before: int | None = None) -> list[Notification]:
    """Newest first, a page at a time (by id)."""
    q = sa.select(Notification).where(Notification.user_id == user_id)
    if before is not None:
        q = q.where(Notification.id < before)
    return list(session.scalars(q.order_by(Notification.id.desc()).limit(PAGE_SIZE)))


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of this person read."""
    q = sa.update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        q = q.where(Notification.id == notification_id)
    return session.execute(q.values(read_at=utcnow())).rowcount


# --- The daily digest ----------------------------------------------------------------------------


def send_digests(session: Session, now: datetime | None = None) -> int:
    """One e-mail per person gathering their "daily" notifications not yet mailed; each is
    marked mailed in the same transaction, so a second run finds nothing. Returns mails queued."""
    now = now or utcnow()
    pending = session.execute(
        sa.select(Notification, User.email, User.name)
        .join(User, User.id == Notification.user_id)
        .where(Notification.delivery == "daily", Notification.mailed_at.is_(None), User.active)
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, list] = {}
    for n, email, name in pending:
        by_user.setdefault(n.user_id, []).append((n, email, name))
    for user_id, items in by_user.items():
        email, name = items[0][1], items[0][2]
        kinds = sorted({n.kind for n, _, _ in items})
        queue_mail(
            session,
            to=email,
            subject=f"[Redline] Your daily digest: {len(items)} notification(s)",
            text=_mail_text(
                name,
                [(n.title, n.body, n.link) for n, _, _ in items],
                "You receive this digest because you chose daily e-mails for: "
                + "; ".join(NOTIFICATION_KIND_LABELS[k] for k in kinds)
                + ".",
            ),
            kind="digest",
            key=f"digest:{user_id}:{items[-1][0].id}",
            headers=mail_headers(user_id, kinds),
        )
        session.execute(
            sa.update(Notification)
            .where(Notification.id.in_([n.id for n, _, _ in items]))
            .values(mailed_at=now)
        )
    return len(by_user)
