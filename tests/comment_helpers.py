"""Building blocks for the comment and consultation tests: a provision with versions at
meetings, a consultation publishing one meeting's text, comments made through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from redline.models import Consultation, Instrument, Meeting, Provision, User, Version, utcnow
from redline.services import comments, consultations, meetings, versions

TEXT = (
    "Each Party shall adopt such legislative and other measures as may be necessary to "
    "empower its competent authorities to issue an order to a service provider in the "
    "territory of another Party, and the Party shall ensure that the Party may act."
)


@dataclass
class Record:
    instrument: Instrument
    meeting: Meeting
    provision: Provision
    version: Version


def record(session, users: dict[str, User], text: str = TEXT, slug: str = "protocol") -> Record:
    """An instrument with one open meeting and one provision."""
    actor = users["secretariat"]
    instrument = meetings.create_instrument(
        session, slug=slug, title="Second Protocol", actor=actor
    )
    meeting = meetings.create_meeting(
        session, instrument, title="1st Plenary", kind="plenary", on=date(2026, 1, 10), actor=actor
    )
    version = versions.add_provision(
        session,
        instrument,
        after_provision_id=None,
        number="Article 6",
        heading="Direct disclosure",
        text=text,
        kind="article",
        author=users["drafter"],
        max_chars=200_000,
    )
    session.commit()
    return Record(instrument, meeting, version.provision, version)


def next_meeting(session, users, rec: Record, title: str, on: date) -> Meeting:
    return meetings.create_meeting(
        session, rec.instrument, title=title, kind="plenary", on=on, actor=users["secretariat"]
    )


def edit(session, users, rec: Record, text: str, who: str = "drafter") -> Version:
    head = rec.version.provision_id
    from redline.services import texts

    saved = versions.record_edit(
        session,
        rec.provision,
        base_version_id=texts.head(session, head).id,
        text=text,
        author=users[who],
        max_chars=200_000,
    )
    session.commit()
    return saved.version


def publish(
    session,
    users,
    rec: Record,
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    deadlines: dict | None = None,
    visible: bool = False,
    meeting: Meeting | None = None,
    title: str = "Consultation on the provisional text",
) -> Consultation:
    """A consultation on `meeting` (default: the record's first), open now unless told."""
    now = utcnow()
    c = consultations.create_consultation(
        session,
        instrument=rec.instrument,
        meeting_id=(meeting or rec.meeting).id,
        title=title,
        opens_at=opens or now - timedelta(days=1),
        closes_at=closes or now + timedelta(days=30),
        deadlines=deadlines,
        comments_visible=visible,
        actor=users["secretariat"],
    )
    session.commit()
    return c


def comment(
    session,
    users,
    rec: Record,
    who: str,
    passage: str = "competent authorities",
    body: str = "Please clarify.",
    version: Version | None = None,
    **kw,
):
    version = version or rec.version
    start = version.text.index(passage)
    c = comments.create_comment(
        session,
        users[who],
        version.provision,
        body=body,
        version_id=version.id,
        start=start,
        end=start + len(passage),
        exact=passage,
        **kw,
    )
    session.commit()
    return c


def reply(session, users, rec: Record, who: str, parent, body: str = "Thank you.", **kw):
    c = comments.create_comment(
        session, users[who], rec.provision, body=body, parent_id=parent.id, **kw
    )
    session.commit()
    return c
