"""Record every write: who did what, when, to which object."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from redline.models import AuditEvent, User

TRAIL_PAGE = 100  # events on one page of the audit trail


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: object,
    summary: str = "",
    instrument_id: int | None = None,
) -> AuditEvent:
    """Add an audit event in the caller's transaction, so it lands with the write or not at all."""
    session.flush()  # give new objects their id
    event = AuditEvent(
        actor_id=actor.id if actor is not None and getattr(actor, "id", None) else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        instrument_id=instrument_id,
        summary=summary[:2000],
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class TrailPage:
    events: list[AuditEvent]
    more: bool  # older events exist beyond this page


def trail(
    session: Session, instrument_id: int | None = None, before: int | None = None
) -> TrailPage:
    """One page of the audit trail, newest first, optionally for one instrument; `before` (an
    event id) pages by id, so a page stays the same while new events arrive."""
    stmt = (
        sa.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    )
    if instrument_id is not None:
        stmt = stmt.where(AuditEvent.instrument_id == instrument_id)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    events = list(session.scalars(stmt.limit(TRAIL_PAGE + 1)))
    return TrailPage(events[:TRAIL_PAGE], len(events) > TRAIL_PAGE)
