"""Record every write: who did what, when, to which object."""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline.models import AuditEvent, User


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
