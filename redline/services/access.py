"""What each person may see. Anything not visible answers 404, so ids reveal nothing.

The drafting side (secretariat, drafters, observers) sees every meeting's text. A stakeholder
sees only text published by a consultation that has opened, and only on those instruments.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from redline.models import Consultation, Instrument, Meeting, Provision, User, Version, utcnow
from redline.services import policy, texts
from redline.services.errors import NotFound


def published_meeting_ids(session: Session, instrument_id: int | None = None) -> set[int]:
    """Meetings whose text a consultation has published (its window has opened)."""
    stmt = policy.published_meetings()
    if instrument_id is not None:
        stmt = stmt.where(Consultation.instrument_id == instrument_id)
    return set(session.scalars(stmt))


def publications(session: Session, instrument_id: int) -> list[tuple[Meeting, datetime]]:
    """Meetings a consultation has published (its window has opened), in timeline order, each
    with the moment its text was first opened to stakeholders: one query."""
    rows = session.execute(
        sa.select(Meeting, sa.func.min(Consultation.opens_at))
        .join(Consultation, Consultation.meeting_id == Meeting.id)
        .where(Meeting.instrument_id == instrument_id, policy.has_opened(Consultation, utcnow()))
        .group_by(Meeting.id)
        .order_by(Meeting.position)
    ).all()
    return [(m, opened) for m, opened in rows]


def visible_instruments(session: Session, user: User) -> list[Instrument]:
    """With their meetings loaded (the list shows each one's count and latest meeting) in one
    more query, not one per instrument."""
    stmt = (
        sa.select(Instrument).options(selectinload(Instrument.meetings)).order_by(Instrument.title)
    )
    if not policy.reads_drafts(user):
        stmt = stmt.where(Instrument.id.in_(policy.published_instruments()))
    return list(session.scalars(stmt))


def meetings_shown(session: Session, user: User, instruments: list[Instrument]) -> dict[int, list]:
    """Each instrument's meetings as this person may know of them: all of them for the drafting
    side, only those a consultation has published for a stakeholder (an unpublished meeting's
    title and date are negotiating information too)."""
    if policy.reads_drafts(user):
        return {i.id: list(i.meetings) for i in instruments}
    published = published_meeting_ids(session)
    return {i.id: [m for m in i.meetings if m.id in published] for i in instruments}


def instrument_for(session: Session, user: User, instrument_id: int) -> Instrument:
    instrument = session.get(Instrument, instrument_id)
    if instrument is None or (
        not policy.reads_drafts(user) and not published_meeting_ids(session, instrument_id)
    ):
        raise NotFound("No such instrument.")
    return instrument


def visible_meetings(session: Session, user: User, instrument_id: int) -> list[Meeting]:
    meetings = list(
        session.scalars(
            sa.select(Meeting)
            .where(Meeting.instrument_id == instrument_id)
            .order_by(Meeting.position)
        )
    )
    if policy.reads_drafts(user):
        return meetings
    published = published_meeting_ids(session, instrument_id)
    return [m for m in meetings if m.id in published]


def meeting_for(
    session: Session, user: User, meeting_id: int, instrument_id: int | None = None
) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or (instrument_id is not None and meeting.instrument_id != instrument_id):
        raise NotFound("No such meeting.")
    if not policy.reads_drafts(user) and meeting.id not in published_meeting_ids(
        session, meeting.instrument_id
    ):
        raise NotFound("No such meeting.")
    return meeting


def provision_for(session: Session, user: User, provision_id: int) -> Provision:
    provision = session.get(Provision, provision_id)
    if provision is None:
        raise NotFound("No such provision.")
    # A stakeholder sees a provision if a published text carries it (which implies that its
    # instrument is published): one check, two queries.
    if not policy.reads_drafts(user) and not visible_versions(session, user, provision):
        raise NotFound("No such provision.")
    return provision


def visible_versions(session: Session, user: User, provision: Provision) -> list[Version]:
    """The versions this person may read: all of them, or for a stakeholder those that
    published meetings' texts carried (one per published meeting)."""
    if policy.reads_drafts(user):
        return texts.history(session, provision.id)
    seen: dict[int, Version] = {}
    meetings = [m for m, _ in publications(session, provision.instrument_id)]
    for v in texts.versions_as_of_each(session, provision.id, meetings).values():
        if v is not None and not v.removed:
            seen[v.id] = v
    return sorted(seen.values(), key=lambda v: (v.meeting.position, v.id))


def version_for(session: Session, user: User, version_id: int) -> Version:
    version = session.get(Version, version_id)
    if version is None:
        raise NotFound("No such version.")
    if not policy.reads_drafts(user):
        provision = provision_for(session, user, version.provision_id)
        if version.id not in {v.id for v in visible_versions(session, user, provision)}:
            raise NotFound("No such version.")
    return version


def default_version(history: list[Version]) -> Version | None:
    """Which version a reader is shown when they name none: the newest of those they may read
    (`history`, as visible_versions gives it); None if they may read none."""
    return history[-1] if history else None


def version_to_show(
    session: Session, user: User, provision: Provision, version_id: int | None = None
) -> Version:
    """The asked version of the provision (checked), or by default the newest this person may
    read: what the provision page, its margin, the editor's Cancel and the API show."""
    if version_id is not None:
        version = version_for(session, user, version_id)
        if version.provision_id != provision.id:
            raise NotFound("No such version of this provision.")
        return version
    version = default_version(visible_versions(session, user, provision))
    if version is None:
        raise NotFound("No such provision.")
    return version
