"""Who is editing which provision now: "Dana Drafter is editing since 10:42".

The open editor sends a heartbeat every PRESENCE_HEARTBEAT seconds; a presence not refreshed
for PRESENCE_EXPIRY seconds is simply not shown (a closed tab, a lost connection need nobody to
clean up). Who may be seen and who may see is the policy's (stakeholders never see drafters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.models import Presence, User, utcnow
from redline.services import access, policy
from redline.services.errors import NotAllowed

PRESENCE_HEARTBEAT = 30
PRESENCE_EXPIRY = 90  # three missed heartbeats


@dataclass(frozen=True)
class Editing:
    name: str
    since: datetime


def heartbeat(session: Session, user: User, provision_id: int, now: datetime | None = None) -> None:
    """The editor of `provision_id` is open in `user`'s browser (refreshes or starts it)."""
    if not policy.shows_presence(user):
        raise NotAllowed("Only drafters and the secretariat edit provisions.")
    access.provision_for(session, user, provision_id)  # 404 for what they may not see
    now = now or utcnow()
    row = session.scalar(
        sa.select(Presence).where(
            Presence.user_id == user.id, Presence.provision_id == provision_id
        )
    )
    if row is None:
        session.add(Presence(user_id=user.id, provision_id=provision_id, since=now, seen_at=now))
    else:
        if row.seen_at < now - timedelta(seconds=PRESENCE_EXPIRY):
            row.since = now  # an expired presence is a new editing session
        row.seen_at = now


def editing(
    session: Session, viewer: User, provision_ids: list[int], now: datetime | None = None
) -> dict[int, list[Editing]]:
    """For each provision, who else has its editor open (one query; nothing for those who may
    not see presence)."""
    if not provision_ids or not policy.sees_presence(viewer):
        return {}
    now = now or utcnow()
    rows = session.execute(
        sa.select(Presence.provision_id, User.name, Presence.since)
        .join(User, User.id == Presence.user_id)
        .where(
            Presence.provision_id.in_(provision_ids),
            Presence.seen_at >= now - timedelta(seconds=PRESENCE_EXPIRY),
            Presence.user_id != viewer.id,
            User.active,
        )
        .order_by(Presence.since)
    ).all()
    out: dict[int, list[Editing]] = {}
    for pid, name, since in rows:
        out.setdefault(pid, []).append(Editing(name, since))
    return out
