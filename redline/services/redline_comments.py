"""Comments on a redline: the commented passages of both ends of every provision compared, and
the thread starts to list beside them, for a whole page in a fixed number of queries; and the
comments placed on the newer text of a redline, as Word comments for its .docx.

Who sees which comment is decided by policy.comment_clause and nowhere else. The
placement rules are those of comment_threads.margin_on: a comment shows on the version it was
made on and on later versions (through the CommentAnchor cache), never on an earlier one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from redline.domain.export.word import WordComment, initials
from redline.domain.text.anchors import Placement, relocate_many
from redline.domain.text.compare import ProvisionChange
from redline.domain.text.passages import Span
from redline.models import DISPOSITION_LABELS, Comment, CommentAnchor, Meeting, User, Version
from redline.services import policy
from redline.services.anchoring import quote_of

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
            Comment.id,
            Comment.version_id,
            Comment.start,
            Comment.end,
            Comment.exact,
            Comment.prefix,
            Comment.suffix,
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
            # "Made on this version or an earlier one": history order is (meeting, version id),
            # as in comment_threads.versions_up_to.
            sa.or_(
                made_at.position < shown_at.position,
                sa.and_(made_at.position == shown_at.position, made.id <= shown.id),
            ),
        )
    ).all()
    placements: dict[int, dict[int, Placement]] = defaultdict(dict)
    missing = []
    for r in rows:
        if r.version_id == r.target_id:  # on its own version a comment sits where it was made
            placements[r.target_id][r.id] = Placement("anchored", r.start, r.end)
        elif r.cached_status is not None:
            placements[r.target_id][r.id] = Placement(r.cached_status, r.cached_start, r.cached_end)
        elif r.removed:
            placements[r.target_id][r.id] = Placement("orphaned", None, None)
        else:
            missing.append(r)
    if missing:
        _relocate(session, missing, placements)
    out = {}
    for vid, placed in placements.items():
        spans = sorted(
            (
                Span(p.start, p.end, cid, p.status == "changed")
                for cid, p in placed.items()
                if p.start is not None and p.end is not None
            ),
            key=lambda s: (s.start, s.end, s.thread_id),
        )
        if spans:
            out[vid] = tuple(spans)
    return out


def _relocate(session: Session, rows: list, placements: dict[int, dict[int, Placement]]) -> None:
    """Place comments whose anchor was never cached, each (original, target) pair diffed once."""
    ids = {r.version_id for r in rows} | {r.target_id for r in rows}
    text = dict(
        session.execute(sa.select(Version.id, Version.text).where(Version.id.in_(ids))).all()
    )
    pairs: dict[tuple[int, int], list] = defaultdict(list)
    for r in rows:
        pairs[(r.version_id, r.target_id)].append(r)
    for (origin, target), group in pairs.items():
        found = relocate_many([quote_of(r) for r in group], text[origin], text[target])
        for r, p in zip(group, found, strict=True):
            placements[target][r.id] = p


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
    if policy.sees_dispositions(user) and comment.disposition:
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
