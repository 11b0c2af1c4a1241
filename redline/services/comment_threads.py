"""Reading comments: who sees which, threads placed on a version, the margin's change stamp.

The drafting side (secretariat, drafters, observers) sees every comment. A stakeholder sees,
in consultations that have opened: their own comments; comments in threads they started
(drafters' answers); the drafting side's own consultation notes (thread starts); and everyone's
consultation comments if the consultation shows comments to all participants. Internal comments
never reach a stakeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from redline.domain.anchors import Placement
from redline.domain.passages import Span
from redline.models import AuditEvent, Comment, Consultation, Meeting, User, Version, utcnow
from redline.services import anchoring


def visibility_clause(user: User):
    """A SQL condition on Comment: what `user` may read (see module doc)."""
    if user.sees_drafts:
        return sa.true()
    root = aliased(Comment)
    opened = sa.select(Consultation.id).where(Consultation.opens_at <= utcnow())
    shared = sa.select(Consultation.id).where(Consultation.comments_visible.is_(True))
    drafting_side = sa.select(User.id).where(User.role != "stakeholder")
    thread_author = sa.select(root.author_id).where(root.id == Comment.parent_id).scalar_subquery()
    return sa.and_(
        Comment.visibility == "consultation",
        Comment.consultation_id.in_(opened),
        sa.or_(
            Comment.author_id == user.id,
            thread_author == user.id,
            Comment.consultation_id.in_(shared),
            sa.and_(Comment.parent_id.is_(None), Comment.author_id.in_(drafting_side)),
        ),
    )


def visible_to(session: Session, user: User, comment: Comment) -> bool:
    if user.sees_drafts:
        return True
    return session.scalar(
        sa.select(sa.func.count()).select_from(Comment)
        .where(Comment.id == comment.id, visibility_clause(user))
    ) == 1


def versions_up_to(session: Session, version: Version) -> list[int]:
    """Ids of the provision's versions up to and including `version`, in history order:
    a comment made on a later text is not shown on an earlier one."""
    rows = session.execute(
        sa.select(Version.id)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(Version.provision_id == version.provision_id)
        .order_by(Meeting.position, Version.id)
    ).scalars().all()
    return rows[: rows.index(version.id) + 1]


@dataclass
class Thread:
    root: Comment
    replies: list[Comment] = field(default_factory=list)
    placement: Placement = field(default_factory=lambda: Placement("orphaned"))
    is_new: bool = False

    @property
    def on_own_version(self) -> bool:
        return self.placement.status == "anchored" and self.root.exact is not None

    @property
    def comments(self) -> list[Comment]:
        return [self.root, *self.replies]


@dataclass
class Margin:
    """Everything the margin shows for one version, computed in a fixed number of queries."""

    version: Version
    placed: list[Thread]  # anchored or changed, in text order
    orphans: list[Thread]  # their passage is gone from this version: listed apart
    newest_id: int
    new_count: int

    @property
    def spans(self) -> list[Span]:
        return [
            Span(t.placement.start, t.placement.end, t.root.id, t.placement.status == "changed")
            for t in self.placed
        ]

    @property
    def total(self) -> int:
        return sum(len(t.comments) for t in (*self.placed, *self.orphans))


def visible_comments(session: Session, user: User, version: Version) -> list[Comment]:
    """Comments (thread starts and replies) on the provision up to `version`, authors loaded."""
    return list(
        session.scalars(
            sa.select(Comment)
            .where(
                Comment.provision_id == version.provision_id,
                Comment.version_id.in_(versions_up_to(session, version)),
                visibility_clause(user),
            )
            .options(
                selectinload(Comment.author),
                selectinload(Comment.version).selectinload(Version.meeting),
                selectinload(Comment.consultation),
            )
            .order_by(Comment.id)
        )
    )


def threads_on(
    session: Session, user: User, version: Version, seen: int | None = None
) -> Margin:
    """The visible threads placed on `version`; `seen` (a comment id) marks newer ones as new."""
    comments = visible_comments(session, user, version)
    roots = {c.id: Thread(c) for c in comments if c.parent_id is None}
    for c in comments:
        if c.parent_id is not None and c.parent_id in roots:
            roots[c.parent_id].replies.append(c)
    placements = anchoring.placements_on(session, [t.root for t in roots.values()], version)
    new_count = 0
    for thread in roots.values():
        thread.placement = placements[thread.root.id]
        fresh = [c for c in thread.comments
                 if seen is not None and c.id > seen and c.author_id != user.id]
        thread.is_new = bool(fresh)
        new_count += len(fresh)
    placed = sorted(
        (t for t in roots.values() if t.placement.start is not None),
        key=lambda t: (t.placement.start, t.placement.end, t.root.id),
    )
    orphans = [t for t in roots.values() if t.placement.start is None]
    newest = max((c.id for c in comments), default=0)
    return Margin(version, placed, orphans, newest, new_count)


def stamp(session: Session, provision_id: int, version_id: int) -> str:
    """Changes whenever a comment of the provision is written (every write is audited) or the
    shown version changes: the margin's poll answers "nothing new" while it stays the same."""
    last = session.scalar(
        sa.select(sa.func.max(AuditEvent.id)).where(
            AuditEvent.object_type == "Comment",
            AuditEvent.object_id.in_(
                sa.select(Comment.id).where(Comment.provision_id == provision_id)
            ),
        )
    )
    return f"{version_id}.{last or 0}"
