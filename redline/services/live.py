"""The instrument page, live: a cheap stamp of what a reader sees of one meeting's text (its
newest version, the newest comment they may read, who is editing), polled by the page; when it
moves, the changed provisions are sent again and the change is announced to screen readers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.models import Comment, Meeting, Provision, User, Version
from redline.services import policy, presence, texts

MAX_EDITING = 50  # provisions a browser may say it is editing (the poll's `editing` values)


@dataclass(frozen=True)
class Changes:
    stamp: str
    versions: list[Version]  # the provisions to draw again (those not being edited here)
    changed: int  # provisions with a newer version than the page showed
    new_comments: int
    added: bool  # a provision appeared that the page does not show yet
    editing: dict


def _newest_version(session: Session, meeting: Meeting) -> int:
    return session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Version.id), 0))
        .join(Meeting, Meeting.id == Version.meeting_id)
        .where(Meeting.instrument_id == meeting.instrument_id, Meeting.position <= meeting.position)
    )


def _newest_comment(session: Session, user: User, instrument_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Comment.id), 0))
        .join(Provision, Provision.id == Comment.provision_id)
        .where(Provision.instrument_id == instrument_id, policy.comment_clause(user))
    )


def stamp(session: Session, user: User, meeting: Meeting) -> str:
    """What this reader sees of `meeting`'s text, in a few characters (changes when it does)."""
    v = _newest_version(session, meeting)
    c = _newest_comment(session, user, meeting.instrument_id)
    ids = [
        pid
        for (pid,) in session.execute(
            sa.select(Provision.id).where(Provision.instrument_id == meeting.instrument_id)
        )
    ]
    who = presence.editing(session, user, ids)
    seen = sorted((pid, e.name, e.since.isoformat()) for pid, es in who.items() for e in es)
    p = hashlib.sha256(repr(seen).encode()).hexdigest()[:12]
    return f"{v}.{c}.{p}"


def changes(
    session: Session, user: User, meeting: Meeting, since: str, editing_here: list[int]
) -> Changes | None:
    """None when nothing moved since `since`; else what to draw again and to announce."""
    now_stamp = stamp(session, user, meeting)
    if now_stamp == since:
        return None
    parts = since.split(".")
    known = len(parts) == 3 and all(x.isdigit() and len(x) < 12 for x in parts[:2])
    old_v, old_c = (int(parts[0]), int(parts[1])) if known else (0, 0)
    versions = texts.versions_as_of(session, meeting)
    new_c = _newest_comment(session, user, meeting.instrument_id)
    fresh = [v for v in versions if v.id > old_v]
    new_comments = session.scalar(
        sa.select(sa.func.count())
        .select_from(Comment)
        .join(Provision, Provision.id == Comment.provision_id)
        .where(
            Provision.instrument_id == meeting.instrument_id,
            Comment.id > old_c,
            Comment.id <= new_c,
            policy.comment_clause(user),
        )
    )
    skip = set(editing_here[:MAX_EDITING])
    return Changes(
        stamp=now_stamp,
        versions=[v for v in versions if v.provision_id not in skip],
        changed=len(fresh) if known else 0,
        new_comments=new_comments if known else 0,
        added=known and any(v.parent_id is None for v in fresh),
        editing=presence.editing(session, user, [v.provision_id for v in versions]),
    )
