"""Reading comments: threads placed on a version, the margin's change stamp.

Who sees which comment is policy.comment_clause (may-see-comment) and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from redline.domain.text.anchors import Placement
from redline.domain.text.passages import Span
from redline.models import AuditEvent, Comment, Consultation, User, Version
from redline.services import placement, policy
from redline.services.placement import versions_up_to


def counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def thread_counts(session: Session, user: User, versions: list[Version]) -> dict[int, int]:
    """How many threads `user` may read on each of these versions (version id -> count; a
    version without any is absent)."""
    if not versions:
        return {}
    rows = session.execute(
        sa.select(Comment.version_id, sa.func.count())
        .where(
            Comment.version_id.in_([v.id for v in versions]),
            Comment.parent_id.is_(None),
            policy.comment_clause(user),
        )
        .group_by(Comment.version_id)
    ).all()
    return dict(rows)


@dataclass
class Thread:
    """A thread as the margin shows it: its comments loaded, placed on the shown version."""

    root: Comment
    replies: list[Comment] = field(default_factory=list)
    placement: Placement = field(default_factory=lambda: Placement("orphaned"))
    is_new: bool = False

    @property
    def comments(self) -> list[Comment]:
        return [self.root, *self.replies]


@dataclass
class ThreadRef:
    """A thread known by ids only: enough to mark its passage, count it and order it."""

    root_id: int
    placement: Placement
    comment_ids: list[int]
    is_new: bool = False


@dataclass
class Margin:
    """Every visible thread on one version, without loading the comments themselves."""

    version: Version
    placed: list[ThreadRef]  # anchored or changed, in text order
    orphans: list[ThreadRef]  # their passage is gone from this version: listed apart
    newest_id: int
    new_count: int
    total: int
    version_ids: list[int] = field(default_factory=list)  # the versions its comments are on

    @property
    def threads(self) -> int:
        return len(self.placed) + len(self.orphans)

    @property
    def replies(self) -> int:
        return self.total - self.threads

    @property
    def count_label(self) -> str:
        """'1 thread, 1 reply': a thread and its answer are not two comments."""
        return counted(self.threads, "thread") + (
            f", {counted(self.replies, 'reply', 'replies')}" if self.replies else ""
        )

    @property
    def spans(self) -> list[Span]:
        return list(placement.spans({t.root_id: t.placement for t in self.placed}))


def _visible(user: User, version_ids: list[int], provision_id: int):
    return sa.and_(
        Comment.provision_id == provision_id,
        Comment.version_id.in_(version_ids),
        policy.comment_clause(user),
    )


def margin_on(session: Session, user: User, version: Version, seen: int | None = None) -> Margin:
    """The visible threads placed on `version` (comments made on it or on an earlier version);
    `seen` (a comment id) marks what others wrote since as new. Three queries, no ORM rows:
    a provision may carry a thousand comments and the margin must stay quick."""
    up_to = versions_up_to(session, version)
    rows = session.execute(
        sa.select(
            Comment.id,
            Comment.parent_id,
            Comment.version_id,
            Comment.start,
            Comment.end,
            Comment.author_id,
        )
        .where(_visible(user, up_to, version.provision_id))
        .order_by(Comment.id)
    ).all()
    members: dict[int, list[int]] = {}
    fresh: dict[int, int] = {}
    for cid, parent_id, *_ in rows:
        if parent_id is None:
            members[cid], fresh[cid] = [cid], 0
    newest = 0
    for cid, parent_id, _, _, _, author_id in rows:
        newest = max(newest, cid)
        root_id = cid if parent_id is None else parent_id
        if root_id not in members:
            continue  # a reply in a thread this person cannot see
        if parent_id is not None:
            members[root_id].append(cid)
        if seen is not None and cid > seen and author_id != user.id:
            fresh[root_id] += 1
    placements = placement.on_version(session, version, [r for r in rows if r.parent_id is None])
    refs = [ThreadRef(rid, placements[rid], ids, fresh[rid] > 0) for rid, ids in members.items()]
    placed = sorted(
        (t for t in refs if t.placement.start is not None),
        key=lambda t: (t.placement.start, t.placement.end, t.root_id),
    )
    orphans = [t for t in refs if t.placement.start is None]
    return Margin(
        version,
        placed,
        orphans,
        newest,
        sum(fresh.values()),
        sum(len(m) for m in members.values()),
        up_to,
    )


def load_threads(session: Session, refs: list[ThreadRef]) -> list[Thread]:
    """The comments of these threads, authors and versions loaded in a fixed number of
    queries, in the order of `refs`."""
    ids = [cid for t in refs for cid in t.comment_ids]
    loaded = (
        {
            c.id: c
            for c in session.scalars(
                sa.select(Comment)
                .where(Comment.id.in_(ids))
                .options(
                    selectinload(Comment.author),
                    selectinload(Comment.version).selectinload(Version.meeting),
                    selectinload(Comment.consultation).selectinload(Consultation.deadlines),
                )
            )
        }
        if ids
        else {}
    )
    return [
        Thread(loaded[t.root_id], [loaded[cid] for cid in t.comment_ids[1:]], t.placement, t.is_new)
        for t in refs
    ]


def visible_comments(session: Session, user: User, version: Version) -> list[Comment]:
    """Comments (thread starts and replies) on the provision up to `version`, authors loaded."""
    return list(
        session.scalars(
            sa.select(Comment)
            .where(_visible(user, versions_up_to(session, version), version.provision_id))
            .options(selectinload(Comment.author))
            .order_by(Comment.id)
        )
    )


def threads_on(session: Session, user: User, version: Version) -> list[Thread]:
    """Every visible thread on `version`, placed ones in text order, then the orphans."""
    margin = margin_on(session, user, version)
    return load_threads(session, [*margin.placed, *margin.orphans])


def stamp(
    session: Session, user: User, version: Version, version_ids: list[int] | None = None
) -> str:
    """Changes whenever a comment this person may read on the shown version is written (every
    write is audited) or the shown version changes: the margin's poll answers "nothing new"
    while it stays the same. Computed over the same comments as the margin (`_visible`), so
    activity the reader may not see, such as a drafter's internal comment, leaves it as it was:
    a changed stamp would tell a stakeholder that something hidden happened. `version_ids`
    (Margin.version_ids) saves a query when the margin was just computed."""
    if version_ids is None:
        version_ids = versions_up_to(session, version)
    last = session.scalar(
        sa.select(sa.func.max(AuditEvent.id)).where(
            AuditEvent.object_type == "Comment",
            AuditEvent.object_id.in_(
                sa.select(Comment.id).where(_visible(user, version_ids, version.provision_id))
            ),
        )
    )
    return f"{version.id}.{last or 0}"


def spans_on(session: Session, user: User, version: Version) -> list[Span]:
    """The commented passages this person may see on `version`, to mark them in a redline
    with redline.domain.text.passages.highlight_ops: the old version's spans cover its struck text
    too, the new version's spans its inserted text."""
    return margin_on(session, user, version).spans
