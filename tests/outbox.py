"""What the outbox holds, read back for tests of the code that writes mails."""

from __future__ import annotations

import sqlalchemy as sa

from redline.models import Notification, OutboxMail


def queued(session) -> list[dict]:
    """Every queued mail, oldest first; a notification mail names the kind of its notification
    (its outbox key is "notification:<user id>:<event key>")."""
    kinds = {(n.user_id, n.key): n.kind for n in session.scalars(sa.select(Notification))}
    out = []
    for row in session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)):
        kind = row.kind
        if kind == "notification":
            _, user_id, key = row.key.split(":", 2)
            kind = kinds.get((int(user_id), key), kind)
        out.append(
            dict(to=row.to_address, kind=kind, key=row.key, text=row.text_body, headers=row.headers)
        )
    return out
