"""Comments on a redline: the commented passages of both ends of every provision compared, and
the thread starts to list beside them, for a whole page in a fixed number of queries; and the
comments placed on the newer text of a redline, as Word comments for its .docx.

Who sees which comment is decided by policy.comment_clause and nowhere else; where it sits,
by redline.services.placement (the same rule as the provision's margin): a comment shows on the
version it was made on and on later versions, never on an earlier one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from redline.domain.export.word import WordComment, initials
from redline.domain.text.anchors import Placement
from redline.domain.text.compare import ProvisionChange
from redline.domain.text.passages import Span
from redline.models import DISPOSITION_LABELS, Comment, CommentAnchor, Meeting, User, Version
from redline.services import placement, policy
from redline.services.placement import quote_of

# Made once: building expressions on fresh aliases costs about 0.5 ms per comparison, which
# was most of a warm compare page's time.
_SHOWN, _SHOWN_AT = aliased(Version), aliased(Meeting)
_MADE, _MADE_AT = aliased(Version), aliased(Meeting)


def spans_on_many(
    session: Session, user: User, version_ids: Iterable[int]
) -> dict[int, tuple[Span, ...]]:
    """comment_threads.spans_on for many versions at once (version id -> spans in text order;
    versions without a visible comment are left out).

    One query for every (version, visible thread start made on it or earlier) pair with its
    cached anchor; a second only if some anchor was never cached (then computed, not stored:
    a page view writes nothing).
    """
    wanted = sorted(set(version_ids))
    if not wanted:
        return {}
    shown, shown_at, made, made_at = _SHOWN, _SHOWN_AT, _MADE, _MADE_AT
    rows = session.execute(
        sa.select(
            shown.id.label("target_id"),
            shown.removed,
            *placement.QUOTE_COLUMNS,
            CommentAnchor.status.label("cached_status"),
            CommentAnchor.start.label("cached_start"),
            CommentAnchor.end.label("cached_end"),
        )
        .join(shown, shown.provision_id == Comment.provision_id)
        .join(shown_at, shown.meeting_id == shown_at.id)
        .join(made, Comment.version_id == made.id)
        .join(made_at, made.meeting_id == made_at.id)
        .outerjoin(
            CommentAnchor,
            sa.and_(CommentAnchor.comment_id == Comment.id, CommentAnchor.version_id == shown.id),
        )
        .where(
            shown.id.in_(wanted),
            Comment.parent_id.is_(None),
            policy.comment_clause(user),
            placement.made_up_to(made, made_at, shown, shown_at),
        )
    ).all()
    placed = placement.place(
        session,
        [
            placement.Wanted(
                r.id,
                r.version_id,
                r.target_id,
                r.start,
                r.end,
                quote_of(r),
                cached=(
                    None
                    if r.cached_status is None
                    else Placement(r.cached_status, r.cached_start, r.cached_end)
                ),
                removed=r.removed,
            )
            for r in rows
        ],
    )
    by_version: dict[int, dict[int, Placement]] = defaultdict(dict)
    for (vid, cid), p in placed.items():
        by_version[vid][cid] = p
    out = {}
    for vid, placements in by_version.items():
        marks = placement.spans(placements)
        if marks:
            out[vid] = marks
    return out


@dataclass
class RedlineComments:
    """What a redline page shows of the comments: spans per version id, and the thread starts
    (author loaded) with how many visible replies each has."""

    spans: dict[int, tuple[Span, ...]] = field(default_factory=dict)
    threads: dict[int, Comment] = field(default_factory=dict)
    replies: dict[int, int] = field(default_factory=dict)


def on_changes(session: Session, user: User, changes: Iterable[ProvisionChange]) -> RedlineComments:
    """The comments `user` may see on both ends of each compared provision: at most four
    queries however many provisions the page shows (none more when nothing is commented)."""
    ends = [vid for c in changes for vid in (c.from_version_id, c.to_version_id) if vid]
    spans = spans_on_many(session, user, ends)
    ids = sorted({s.thread_id for marks in spans.values() for s in marks})
    if not ids:
        return RedlineComments(spans)
    threads = {
        c.id: c
        for c in session.scalars(
            sa.select(Comment).where(Comment.id.in_(ids)).options(selectinload(Comment.author))
        )
    }
    replies = dict(
        session.execute(
            sa.select(Comment.parent_id, sa.func.count())
            .where(Comment.parent_id.in_(ids), policy.comment_clause(user))
            .group_by(Comment.parent_id)
        ).all()
    )
    return RedlineComments(spans, threads, replies)


def _word_text(comment: Comment, user: User) -> str:
    """A Word comment's text: the body; for the drafting side, a line saying the comment is
    internal, and the disposition and its reason once recorded."""
    lines = [comment.body]
    if policy.sees_internal_comments(user) and comment.visibility == "internal":
        lines.append("[Internal comment]")
    if comment.disposition and policy.may_see_disposition(user, comment):
        label = DISPOSITION_LABELS.get(comment.disposition, comment.disposition)
        reason = comment.disposition_reason.strip() if comment.disposition_reason else ""
        lines.append(f"Disposition: {label}" + (f". Reason: {reason}" if reason else ""))
    return "\n".join(lines)


def word_comments(
    session: Session, user: User, changes: Iterable[ProvisionChange]
) -> list[WordComment]:
    """The thread starts `user` may see placed on the newer text of each compared provision
    (anchored or changed, with their offsets there), as Word comments in document order.

    Orphaned comments (their passage is gone from the newer text) and withdrawn ones are left
    out; replies are not exported. A fixed number of queries however many provisions:
    `spans_on_many` (one or two), then the thread starts with their authors (none when nothing
    is commented).
    """
    newer = {c.to_version_id: c.provision_id for c in changes if c.after is not None}
    spans = spans_on_many(session, user, [vid for vid in newer if vid])
    ids = sorted({s.thread_id for marks in spans.values() for s in marks})
    if not ids:
        return []
    threads = {
        c.id: c
        for c in session.scalars(
            sa.select(Comment)
            .where(Comment.id.in_(ids), Comment.deleted_at.is_(None))
            .options(selectinload(Comment.author))
        )
    }
    out = []
    for vid, pid in newer.items():
        for span in spans.get(vid, ()):
            comment = threads.get(span.thread_id)
            if comment is None:  # withdrawn by its author
                continue
            author = comment.author.name
            if comment.author.organisation:
                author += f" ({comment.author.organisation})"
            out.append(
                WordComment(
                    provision_id=pid,
                    start=span.start,
                    end=span.end,
                    author=author,
                    initials=initials(comment.author.name),
                    text=_word_text(comment, user),
                    date=comment.created_at,
                )
            )
    return out
