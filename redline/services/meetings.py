"""Instruments and their meetings: creating them, ordering them, closing them for good.

Closed meetings form a prefix of the timeline: closing a meeting closes every earlier one, and no
meeting may be dated before a closed one. Otherwise a version recorded at an earlier open meeting
would carry forward into a closed meeting's text, and closed text must never change.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.models import MEETING_KINDS, Instrument, Meeting, User
from redline.services import audit
from redline.services.errors import BadInput, Conflict, NotFound

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def create_instrument(
    session: Session, *, slug: str, title: str, description: str = "", actor: User | None
) -> Instrument:
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise BadInput("A slug is 1-80 lowercase letters, digits and hyphens, e.g. 'protocol-2'.")
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise BadInput("A title of 1 to 300 characters is required.")
    if session.scalar(sa.select(Instrument.id).where(Instrument.slug == slug)) is not None:
        raise Conflict(f"An instrument with the slug '{slug}' already exists.")
    instrument = Instrument(slug=slug, title=title, description=(description or "").strip())
    session.add(instrument)
    session.flush()
    audit.record(session, actor, "instrument.create", instrument, title, instrument.id)
    return instrument


def instrument_by_slug(session: Session, slug: str) -> Instrument | None:
    return session.scalar(sa.select(Instrument).where(Instrument.slug == slug))


def all_instruments(session: Session) -> list[Instrument]:
    """Every instrument by title, for the secretariat's choices (the audit trail's filter)."""
    return list(session.scalars(sa.select(Instrument).order_by(Instrument.title)))


def get_instrument(session: Session, instrument_id: int) -> Instrument:
    instrument = session.get(Instrument, instrument_id)
    if instrument is None:
        raise NotFound("No such instrument.")
    return instrument


def meetings_of(session: Session, instrument_id: int) -> list[Meeting]:
    return list(
        session.scalars(
            sa.select(Meeting)
            .where(Meeting.instrument_id == instrument_id)
            .order_by(Meeting.position)
        )
    )


def latest_meeting(session: Session, instrument_id: int) -> Meeting | None:
    return session.scalar(
        sa.select(Meeting)
        .where(Meeting.instrument_id == instrument_id)
        .order_by(Meeting.position.desc())
        .limit(1)
    )


def newest_open_meeting(session: Session, instrument_id: int) -> Meeting | None:
    """Where edits are recorded: the newest meeting, if it is open. For showing an edit
    button only: a write must use `lock_open_meeting`, which holds the meeting open."""
    latest = latest_meeting(session, instrument_id)
    return latest if latest is not None and latest.is_open else None


def lock_open_meeting(session: Session, instrument_id: int) -> Meeting | None:
    """The newest meeting, locked until this transaction ends, if it is still open.

    Publication and closing lock the same rows (`close_meeting`), so a save and a
    publication are serialised: the save lands before the meeting closes, or it waits and
    then sees the meeting closed. On PostgreSQL this is SELECT ... FOR UPDATE (after the
    wait, PostgreSQL returns the row as the closer committed it); SQLite has no row locks
    but a writing request holds the database write lock from BEGIN IMMEDIATE
    (redline/database.py), which serialises the same way. `populate_existing` re-reads a
    Meeting this session loaded earlier, so a stale "open" in memory cannot pass the check.
    """
    latest = session.scalar(
        sa.select(Meeting)
        .where(Meeting.instrument_id == instrument_id)
        .order_by(Meeting.position.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return latest if latest is not None and latest.is_open else None


def create_meeting(
    session: Session,
    instrument: Instrument,
    *,
    title: str,
    kind: str,
    on: date,
    end: date | None = None,
    status: str = "open",
    source: str = "",
    language: str = "",
    actor: User | None,
) -> Meeting:
    title = (title or "").strip()
    language = (language or "").strip()
    # A BCP 47 tag as Word writes w:lang ("en-GB", "fr-FR"); anything else is not kept.
    if len(language) > 35 or not all(c.isascii() and (c.isalnum() or c == "-") for c in language):
        language = ""
    if not title or len(title) > 200:
        raise BadInput("A meeting title of 1 to 200 characters is required.")
    if kind not in MEETING_KINDS:
        raise BadInput(f"Meeting kind must be one of: {', '.join(MEETING_KINDS)}.")
    if end is not None and end < on:
        raise BadInput("A meeting cannot end before it starts.")
    if status not in ("open", "closed"):
        raise BadInput("A meeting is open or closed.")
    existing = meetings_of(session, instrument.id)
    if any(m.title == title for m in existing):
        raise Conflict(f"{instrument.title} already has a meeting called '{title}'.")
    closed = [m for m in existing if not m.is_open]
    if closed and on < closed[-1].date:
        raise Conflict(
            f"'{closed[-1].title}' ({closed[-1].date}) is closed; a new meeting cannot be dated "
            "before it, or it would change that meeting's frozen text."
        )
    meeting = Meeting(
        instrument_id=instrument.id,
        title=title,
        kind=kind,
        date=on,
        end_date=end,
        status="open",
        source=source or "",
        language=language,
    )
    session.add(meeting)
    session.flush()
    # Keep positions dense and chronological: by date, then by creation for the same day.
    ordered = sorted([*existing, meeting], key=lambda m: (m.date, m.id))
    for i, m in enumerate(ordered):
        m.position = i
    audit.record(session, actor, "meeting.create", meeting, f"{title} ({on})", instrument.id)
    if status == "closed":
        close_meeting(session, meeting, actor)
    return meeting


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def close_meeting(session: Session, meeting: Meeting, actor: User | None) -> list[Meeting]:
    """Freeze a meeting and every earlier one; returns those that were closed now.

    Takes the row locks that saves take (`lock_open_meeting`), in position order so two
    closers cannot deadlock: a save in progress finishes first, later saves are refused."""
    closed = []
    locked = session.scalars(
        sa.select(Meeting)
        .where(Meeting.instrument_id == meeting.instrument_id)
        .order_by(Meeting.position)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for m in locked:
        if m.position <= meeting.position and m.is_open:
            m.status = "closed"
            closed.append(m)
            audit.record(session, actor, "meeting.close", m, m.title, m.instrument_id)
    return closed
