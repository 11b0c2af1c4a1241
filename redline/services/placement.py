"""Where a thread start sits on a version: the one placement rule, for the provision's margin
(and so the API's comment lists), the redline (compare page and its Word download) and the
anchor cache written when a version is saved.

A comment is made on one version's text. Shown on a version:
- its own: anchored exactly where it was made;
- a later one (history order: meeting position, then version id): the placement cached in
  CommentAnchor when that version was saved (:mod:`redline.services.anchoring` writes it);
- a later one that removed the provision: orphaned, nothing to diff;
- a later one missing from the cache (a comment made on a published text after drafting went
  on, placed before the cache held it): computed here, each (made on, shown on) pair of texts
  diffed once for all its comments, and not stored: a page view writes nothing.
Comments are never shown on versions earlier than their own; the callers ask only for pairs
that satisfy that, through :func:`versions_up_to` or its SQL form :func:`made_up_to`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text.anchors import ORPHANED, Placement, Quote, relocate_many
from redline.domain.text.passages import Span
from redline.models import Comment, CommentAnchor, Meeting, Version

UNKNOWN = object()  # a cached placement or removal not looked up yet

# What placing a thread start needs of it, read as plain columns (no ORM object): a provision
# may carry a thousand comments.
QUOTE_COLUMNS = (
    Comment.id,
    Comment.version_id,
    Comment.start,
    Comment.end,
    Comment.exact,
    Comment.prefix,
    Comment.suffix,
)


@dataclass(frozen=True)
class Wanted:
    """One thread start to place on one version, with what the caller already knows: its
    offsets on its own version, its quote, the cached placement (None: the cache has none)
    and whether the shown version removed the provision."""

    comment_id: int
    made_on: int
    shown_on: int
    start: int | None
    end: int | None
    quote: Quote | None = None
    cached: object = UNKNOWN  # Placement | None | UNKNOWN
    removed: object = UNKNOWN  # bool | UNKNOWN


def versions_up_to(session: Session, version: Version) -> list[int]:
    """Ids of the provision's versions up to and including `version`, in history order: the
    versions whose comments show on `version` (a comment made on a later text is not shown
    on an earlier one)."""
    rows = (
        session.execute(
            sa.select(Version.id)
            .join(Meeting, Version.meeting_id == Meeting.id)
            .where(Version.provision_id == version.provision_id)
            .order_by(Meeting.position, Version.id)
        )
        .scalars()
        .all()
    )
    return rows[: rows.index(version.id) + 1]


def made_up_to(made, made_at, shown, shown_at):
    """The SQL form of :func:`versions_up_to`, over aliases of Version and Meeting: the comment's
    version (`made`, at meeting `made_at`) is `shown` or comes before it in history order
    (meeting position, then version id)."""
    return sa.or_(
        made_at.position < shown_at.position,
        sa.and_(made_at.position == shown_at.position, made.id <= shown.id),
    )


def quote_of(comment) -> Quote:
    """The selectors of a root comment: a Comment, or a row with the same column names."""
    return Quote(
        start=comment.start or 0,
        end=comment.end or 0,
        exact=comment.exact or "",
        prefix=comment.prefix or "",
        suffix=comment.suffix or "",
    )


def place(session: Session, wanted: Iterable[Wanted]) -> dict[tuple[int, int], Placement]:
    """(shown-on version id, comment id) -> placement, by the rule above. At most three
    queries, none when the caller knows enough: the cache for pairs whose cache it did not
    look up, the texts and removals for pairs to compute, the quotes it did not pass."""
    out: dict[tuple[int, int], Placement] = {}
    pending: list[Wanted] = []
    for w in wanted:
        if w.made_on == w.shown_on:
            out[(w.shown_on, w.comment_id)] = Placement("anchored", w.start, w.end)
        elif isinstance(w.cached, Placement):
            out[(w.shown_on, w.comment_id)] = w.cached
        else:
            pending.append(w)
    cached = _cached(session, [w for w in pending if w.cached is UNKNOWN])
    missing = []
    for w in pending:
        found = cached.get((w.shown_on, w.comment_id))
        if found is not None:
            out[(w.shown_on, w.comment_id)] = found
        elif w.removed is True:
            out[(w.shown_on, w.comment_id)] = ORPHANED
        else:
            missing.append(w)
    if missing:
        out.update(_compute(session, missing))
    return out


def on_version(session: Session, version: Version, roots: Sequence) -> dict[int, Placement]:
    """Comment id -> placement on `version` of these thread starts (rows or Comments with
    ``id``, ``version_id``, ``start`` and ``end``; the quote is loaded if needed)."""
    placed = place(
        session,
        [
            Wanted(c.id, c.version_id, version.id, c.start, c.end, removed=version.removed)
            for c in roots
        ],
    )
    return {cid: p for (_, cid), p in placed.items()}


def spans(placements: Mapping[int, Placement]) -> tuple[Span, ...]:
    """The passages to mark (comment id -> placement; orphans have none), in text order."""
    return tuple(
        sorted(
            (
                Span(p.start, p.end, cid, p.status == "changed")
                for cid, p in placements.items()
                if p.start is not None and p.end is not None
            ),
            key=lambda s: (s.start, s.end, s.thread_id),
        )
    )


def relocate_groups(
    groups: Iterable[tuple[str, str, Sequence[tuple[int, Quote]]]],
) -> dict[int, Placement]:
    """Comment id -> placement, for (made-on text, shown-on text, [(comment id, quote)])
    groups: each pair of texts is diffed once however many comments it carries."""
    out: dict[int, Placement] = {}
    for original, target, items in groups:
        found = relocate_many([q for _, q in items], original, target)
        out.update((cid, p) for (cid, _), p in zip(items, found, strict=True))
    return out


def _cached(session: Session, wanted: list[Wanted]) -> dict[tuple[int, int], Placement]:
    if not wanted:
        return {}
    pairs = {(w.shown_on, w.comment_id) for w in wanted}
    rows = session.execute(
        sa.select(
            CommentAnchor.version_id,
            CommentAnchor.comment_id,
            CommentAnchor.status,
            CommentAnchor.start,
            CommentAnchor.end,
        ).where(
            CommentAnchor.comment_id.in_({cid for _, cid in pairs}),
            CommentAnchor.version_id.in_({vid for vid, _ in pairs}),
        )
    ).all()
    return {
        (vid, cid): Placement(status, start, end)
        for vid, cid, status, start, end in rows
        if (vid, cid) in pairs
    }


def _compute(session: Session, wanted: list[Wanted]) -> dict[tuple[int, int], Placement]:
    """Placements never cached: texts (and removals) in one query, quotes in one if needed."""
    ids = {w.made_on for w in wanted} | {w.shown_on for w in wanted}
    versions = {
        vid: (text, removed)
        for vid, text, removed in session.execute(
            sa.select(Version.id, Version.text, Version.removed).where(Version.id.in_(ids))
        )
    }
    unquoted = [w.comment_id for w in wanted if w.quote is None]
    quotes = (
        {
            r.id: quote_of(r)
            for r in session.execute(sa.select(*QUOTE_COLUMNS).where(Comment.id.in_(unquoted)))
        }
        if unquoted
        else {}
    )
    out: dict[tuple[int, int], Placement] = {}
    groups: dict[tuple[int, int], list[tuple[int, Quote]]] = defaultdict(list)
    for w in wanted:
        if versions[w.shown_on][1]:
            out[(w.shown_on, w.comment_id)] = ORPHANED
        else:
            groups[(w.made_on, w.shown_on)].append((w.comment_id, w.quote or quotes[w.comment_id]))
    for (made_on, shown_on), items in groups.items():
        placed = relocate_groups([(versions[made_on][0], versions[shown_on][0], items)])
        out.update(((shown_on, cid), p) for cid, p in placed.items())
    return out
