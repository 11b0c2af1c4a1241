"""Consultations: one meeting's text published for stakeholders' comments within a window.

A consultation opens at `opens_at` for everyone and closes at `closes_at`, or at a different
deadline for one stakeholder category. Every time is UTC; `parse_when` reads naive ISO 8601
times as UTC, because drafters sit in many time zones and "17:00" must mean one instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from redline.domain.dates import DateError, parse_instant
from redline.domain.text.validation import TextError, clean_text
from redline.models import (
    CATEGORIES,
    Consultation,
    ConsultationDeadline,
    Instrument,
    Meeting,
    User,
    Version,
    utcnow,
)
from redline.services import announcements, audit, meetings, policy, texts
from redline.services.errors import BadInput, NotFound

MAX_TITLE = 300


def parse_when(raw: str | None, what: str) -> datetime:
    """An ISO 8601 date-time; naive means UTC. Bad input (malformed, or beyond the calendar
    once turned into UTC) says what was expected."""
    try:
        return parse_instant(raw, what)
    except DateError as e:
        raise BadInput(str(e)) from None


@dataclass(frozen=True)
class Window:
    """Where one category stands in one consultation's window at one instant."""

    consultation: Consultation
    state: str  # "upcoming" | "open" | "closed"
    opens_at: datetime
    closes_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def window(consultation: Consultation, category: str | None, now: datetime) -> Window:
    state = policy.window_state(consultation, category, now)
    return Window(consultation, state, consultation.opens_at, consultation.closes_at_for(category))


def create_consultation(
    session: Session,
    *,
    instrument: Instrument,
    meeting_id: int,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    deadlines: dict[str, datetime] | None = None,
    comments_visible: bool = False,
    actor: User | None,
) -> Consultation:
    """Publish a meeting's text for comment. Nothing is written unless every check passes."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.instrument_id != instrument.id:
        raise BadInput(f"Meeting {meeting_id} is not a meeting of {instrument.title}.")
    try:
        title = clean_text(title or "", MAX_TITLE, "The title").strip()
    except TextError as e:
        raise BadInput(str(e)) from None
    if not title or "\n" in title:
        raise BadInput(f"A title of 1 to {MAX_TITLE} characters on one line is required.")
    for when in (opens_at, closes_at, *(deadlines or {}).values()):
        if when.tzinfo is None:
            raise BadInput("Times must carry a time zone (UTC).")
    if closes_at <= opens_at:
        raise BadInput("The consultation must close after it opens.")
    for category, closes in (deadlines or {}).items():
        if category not in CATEGORIES:
            raise BadInput(f"Unknown category '{category}'; use one of {', '.join(CATEGORIES)}.")
        if closes <= opens_at:
            raise BadInput(f"The deadline for {category} must be after the opening time.")
    # Published text is frozen: the meeting (and every earlier one) is closed, so nothing
    # drafted afterwards reaches stakeholders through this consultation. Drafting goes on
    # in the next meeting. Closing first takes the meeting locks that saves take, so a save
    # in flight lands before the text is published or is refused after it.
    meetings.close_meeting(session, meeting, actor)
    consultation = Consultation(
        instrument_id=instrument.id,
        meeting_id=meeting.id,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        comments_visible=bool(comments_visible),
        created_by_id=actor.id if actor is not None else None,
        deadlines=[
            ConsultationDeadline(category=c, closes_at=t) for c, t in (deadlines or {}).items()
        ],
    )
    session.add(consultation)
    session.flush()
    audit.record(
        session,
        actor,
        "consultation.create",
        consultation,
        f"{title}: {meeting.title}, {opens_at.isoformat()} to {closes_at.isoformat()}",
        instrument.id,
    )
    # Opened already (or now): told at once; a later opening is told by `notifications due`.
    announcements.consultation_opened(session, consultation, actor)
    return consultation


def consultations_of(session: Session, user: User, instrument_id: int) -> list[Consultation]:
    return list(
        session.scalars(
            sa.select(Consultation)
            .where(
                Consultation.instrument_id == instrument_id,
                policy.consultation_clause(user, utcnow()),
            )
            .options(selectinload(Consultation.deadlines), selectinload(Consultation.meeting))
            .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
        )
    )


def consultation_for(session: Session, user: User, consultation_id: int) -> Consultation:
    """A consultation this person may see, or NotFound (ids reveal nothing)."""
    consultation = session.get(Consultation, consultation_id)
    if consultation is None or not policy.may_read_consultation(user, consultation, utcnow()):
        raise NotFound("No such consultation.")
    return consultation


def compilation_for(session: Session, user: User, consultation_id: int) -> Consultation:
    """A consultation whose compilation this person may read, or NotFound."""
    consultation = consultation_for(session, user, consultation_id)
    if not policy.may_read_compilation(user, consultation, utcnow()):
        raise NotFound("No such compilation.")
    return consultation


def publish_outcome(session: Session, consultation: Consultation, actor: User) -> Consultation:
    """Publish the outcome: from now on the compilation with dispositions and reasons is public
    to everyone in the consultation, and each stakeholder sees what became of their comments.
    Once, by the secretariat, after every window has closed; audited."""
    now = utcnow()
    refusal = policy.outcome_refusal(actor, consultation, now)
    if refusal:
        raise BadInput(refusal)
    consultation.outcome_published_at = now
    audit.record(
        session,
        actor,
        "consultation.publish_outcome",
        consultation,
        f"Published the outcome of '{consultation.title}'",
        instrument_id=consultation.instrument_id,
    )
    return consultation


def publishing(session: Session, version: Version) -> list[Consultation]:
    """Consultations whose meeting's text carries `version`: three queries however many
    consultations the instrument has."""
    candidates = session.scalars(
        sa.select(Consultation)
        .where(Consultation.instrument_id == version.provision.instrument_id)
        .options(selectinload(Consultation.deadlines), selectinload(Consultation.meeting))
        .order_by(Consultation.opens_at, Consultation.id)
    ).all()
    if not candidates:
        return []
    # The provision's history in meeting order: the text as of a meeting is the last version
    # recorded at that meeting or before (texts.version_as_of, for every meeting at once).
    history = session.execute(
        sa.select(Version.id, Version.removed, Meeting.position)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(Version.provision_id == version.provision_id)
        .order_by(Meeting.position, Version.id)
    ).all()
    out = []
    for c in candidates:
        carried = None
        for vid, removed, position in history:
            if position > c.meeting.position:
                break
            carried = (vid, removed)
        if carried == (version.id, False):
            out.append(c)
    return out


def stakeholder_window(
    session: Session, user: User, version: Version, now: datetime
) -> Window | None:
    """The window that decides whether this stakeholder may comment on `version` now: an open
    one if any, else the next to open, else the last to close; None if nothing published it."""
    windows = [window(c, user.category, now) for c in publishing(session, version)]
    open_now = [w for w in windows if w.state == "open"]
    if open_now:  # the most recent consultation is the one people are answering
        return max(open_now, key=lambda w: (w.opens_at, w.consultation.id))
    upcoming = [w for w in windows if w.state == "upcoming"]
    if upcoming:
        return min(upcoming, key=lambda w: w.opens_at)
    return max(windows, key=lambda w: w.closes_at) if windows else None


def published_versions(session: Session, consultation: Consultation) -> list[Version]:
    """The text the consultation published, in document order."""
    return texts.versions_as_of(session, consultation.meeting)
