"""Who is told of what: one function per event, called where the event happens, in its
transaction. Every recipient is chosen with the access rules of
:mod:`redline.services.policy`, so nobody is told of what they may not see; the writing (in
bulk, once per person and event, with the e-mail each chose) is
:mod:`redline.services.notifications`'.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from redline.mail.scheduled import scheduled
from redline.models import (
    Comment,
    CommentAnchor,
    Consultation,
    ConsultationDeadline,
    Meeting,
    User,
    Version,
    utcnow,
)
from redline.services import policy
from redline.services.notifications import Tell, write

DEFAULT_DEADLINE_DAYS = 3


def _people(session: Session) -> list:
    """Every active account, as the rows the role rules read (id, role, category): a few
    hundred organisations, or a thousand drafters, in one light query filtered by the policy."""
    return list(session.execute(sa.select(User.id, User.role, User.category).where(User.active)))


def _except(people: list, actor: User | None) -> list:
    actor_id = getattr(actor, "id", None)
    return [p for p in people if p.id != actor_id]


# --- Consultations -------------------------------------------------------------------------------


def consultation_opened(
    session: Session, consultation: Consultation, actor: User | None = None, now=None
) -> int:
    """A consultation has opened: each stakeholder whose category it is open for, and the
    drafting side (its text is now published). Nothing before its opening time."""
    now = now or utcnow()
    if not policy.has_opened(consultation, now):
        return 0
    link = f"/consultations/{consultation.id}"
    tells = []
    for person in _except(_people(session), actor):
        if policy.told_of_consultation(person, consultation, now):
            closes = consultation.closes_at_for(person.category)
            tells.append(
                Tell(
                    person.id,
                    "consultation_opened",
                    f"consultation_opened:{consultation.id}",
                    f"Consultation open: {consultation.title}",
                    f"{consultation.instrument.title}: comments are welcome until "
                    f"{closes:%d %B %Y, %H:%M} UTC.",
                    link,
                )
            )
        elif policy.told_of_drafts(person):
            tells.append(
                Tell(
                    person.id,
                    "draft_imported",
                    f"draft_published:{consultation.id}",
                    f"Published for consultation: {consultation.meeting.title}",
                    f"{consultation.instrument.title}: {consultation.title}.",
                    link,
                )
            )
    told = write(session, tells, now)
    # Its text is now public: the commenters whose passages it changed may now be told.
    changed = session.scalars(
        sa.select(Version).where(
            Version.meeting_id == consultation.meeting_id, Version.parent_id.is_not(None)
        )
    ).all()
    return told + passages_changed(session, consultation.meeting, list(changed))


def deadline_near(session: Session, consultation: Consultation, days: int, now=None) -> int:
    """The deadline for a stakeholder's category is within `days`: told once."""
    now = now or utcnow()
    tells = []
    for person in _people(session):
        if not policy.told_of_consultation(person, consultation, now):
            continue
        closes = consultation.closes_at_for(person.category)
        if closes - now <= timedelta(days=days):
            tells.append(
                Tell(
                    person.id,
                    "deadline_near",
                    f"deadline_near:{consultation.id}",
                    f"Deadline near: {consultation.title}",
                    f"Comments close on {closes:%d %B %Y, %H:%M} UTC.",
                    f"/consultations/{consultation.id}",
                )
            )
    return write(session, tells, now)


@scheduled
def announce_due(session: Session) -> int:
    """Run by `flask notifications send` before it sends (API.md: a consultation whose opening
    time has passed is announced at once): the same work as `flask notifications due`."""
    return due(session)


def due(session: Session, now: datetime | None = None, days: int | None = None) -> int:
    """The scheduled part (`flask notifications due`, from cron): consultations whose opening
    time has passed and deadlines within N days. Each is told once, so running it twice (or
    after the announcement made at creation) tells nobody again."""
    now = now or utcnow()
    if days is None:
        days = int(current_app.config.get("NOTIFY_DEADLINE_DAYS", DEFAULT_DEADLINE_DAYS))
    later = sa.select(ConsultationDeadline.consultation_id).where(
        ConsultationDeadline.closes_at > now
    )
    live = session.scalars(
        sa.select(Consultation).where(
            policy.has_opened(Consultation, now),
            sa.or_(Consultation.closes_at > now, Consultation.id.in_(later)),
        )
    ).all()
    told = 0
    for consultation in live:
        told += consultation_opened(session, consultation, None, now)
        told += deadline_near(session, consultation, days, now)
    return told


# --- Comments ------------------------------------------------------------------------------------


def replied(session: Session, reply: Comment, root: Comment, actor: User) -> int:
    """A reply in a thread: its starter, if they may see the reply (an internal answer to a
    stakeholder's comment stays with the drafting side)."""
    author = root.author
    if author.id == actor.id or not policy.may_see_comment(session, author, reply):
        return 0
    return write(
        session,
        [
            Tell(
                author.id,
                "reply",
                f"reply:{reply.id}",
                f"{actor.name} replied to your comment",
                reply.body[:300],
                f"/provisions/{root.provision_id}#comment-{root.id}",
            )
        ],
    )


def decided(session: Session, root: Comment, actor: User, event_id: int) -> int:
    """A disposition recorded on a comment: its author, if they may see dispositions."""
    author = root.author
    if root.disposition is None or author.id == actor.id or not policy.sees_dispositions(author):
        return 0
    return write(
        session,
        [
            Tell(
                author.id,
                "disposition",
                f"disposition:{root.id}:{event_id}",
                "A decision was recorded on your comment",
                root.disposition_reason[:300],
                f"/provisions/{root.provision_id}#comment-{root.id}",
            )
        ],
    )


# --- Drafts --------------------------------------------------------------------------------------


def passages_changed(session: Session, meeting: Meeting, versions: list[Version]) -> int:
    """A meeting's new text changed or removed passages people commented on (the anchors just
    placed say so): each author, once per comment, with the redline at that passage, if they
    may read the new text."""
    ids = [v.id for v in versions]
    if not ids:
        return 0
    rows = session.execute(
        sa.select(
            Comment.id,
            Comment.author_id,
            Comment.provision_id,
            Comment.version_id,
            Comment.exact,
            CommentAnchor.version_id.label("to"),
            CommentAnchor.status,
        )
        .join(CommentAnchor, CommentAnchor.comment_id == Comment.id)
        .where(
            CommentAnchor.version_id.in_(ids),
            CommentAnchor.status.in_(("changed", "orphaned")),
            Comment.deleted_at.is_(None),
        )
    ).all()
    if not rows:
        return 0
    published = meeting.id in set(session.scalars(policy.published_meetings()))
    readers = {p.id for p in _people(session) if policy.reads_meeting_text(p, bool(published))}
    tells = [
        Tell(
            r.author_id,
            "passage_changed",
            f"passage:{r.id}:{r.to}",
            f"{meeting.title}: a passage you commented on was "
            + ("removed" if r.status == "orphaned" else "changed"),
            f"“{(r.exact or '')[:200]}”",
            f"/provisions/{r.provision_id}/compare?from={r.version_id}&to={r.to}#note-{r.id}",
        )
        for r in rows
        if r.author_id in readers
    ]
    return write(session, tells)


def draft_imported(session: Session, meeting: Meeting, actor: User | None) -> int:
    """A new meeting's draft was imported: the drafting side (who reads every draft)."""
    tells = [
        Tell(
            p.id,
            "draft_imported",
            f"draft_imported:{meeting.id}",
            f"New draft imported: {meeting.title}",
            meeting.instrument.title,
            f"/instruments/{meeting.instrument_id}?meeting={meeting.id}",
        )
        for p in _except(_people(session), actor)
        if policy.told_of_drafts(p)
    ]
    return write(session, tells)
