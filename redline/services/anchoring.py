"""Keep comments on their passages: placed once per new version, cached as CommentAnchor."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text.anchors import ORPHANED, Placement, Quote, relocate_many
from redline.models import Comment, CommentAnchor, Version


def quote_of(comment) -> Quote:
    """The selectors of a root comment: a Comment, or a row with the same column names."""
    return Quote(
        start=comment.start or 0,
        end=comment.end or 0,
        exact=comment.exact or "",
        prefix=comment.prefix or "",
        suffix=comment.suffix or "",
    )


def place_comments(session: Session, version: Version) -> int:
    """Relocate every anchored comment of the provision onto `version`; returns how many.

    Comments are grouped by the version they were made on, so each (original, new) pair of
    texts is diffed once however many comments it carries. Plain columns in, one executemany
    out: no ORM object is made for the comments or their anchors.
    """
    rows = session.execute(
        sa.select(
            Comment.id,
            Comment.version_id,
            Comment.start,
            Comment.end,
            Comment.exact,
            Comment.prefix,
            Comment.suffix,
        ).where(
            Comment.provision_id == version.provision_id,
            Comment.parent_id.is_(None),
            Comment.start.is_not(None),
            Comment.version_id != version.id,
        )
    ).all()
    if not rows:
        return 0
    if version.removed:  # every passage is gone with the provision: nothing to diff
        placed = [(row, ORPHANED) for row in rows]
    else:
        by_origin: dict[int, list[sa.Row]] = defaultdict(list)
        for row in rows:
            by_origin[row.version_id].append(row)
        origin_text = dict(
            session.execute(
                sa.select(Version.id, Version.text).where(Version.id.in_(list(by_origin)))
            ).all()
        )
        placed = []
        for origin_id, group in by_origin.items():
            found = relocate_many(
                [quote_of(row) for row in group], origin_text[origin_id], version.text
            )
            placed += zip(group, found, strict=True)
    session.execute(
        sa.insert(CommentAnchor.__table__),
        [
            dict(comment_id=r.id, version_id=version.id, status=p.status, start=p.start, end=p.end)
            for r, p in placed
        ],
    )
    return len(placed)


def place_new_comment(session: Session, comment: Comment) -> int:
    """A comment made on an older version (published text, while drafting went on) is placed
    on every later version of its provision at once, like those versions' own comments."""
    if comment.parent_id is not None or comment.start is None:
        return 0
    original = session.get(Version, comment.version_id)
    later = session.scalars(
        sa.select(Version).where(
            Version.provision_id == comment.provision_id, Version.id > comment.version_id
        )
    ).all()
    quote = quote_of(comment)
    rows = []
    for v in later:
        p = (
            Placement("orphaned", None, None)
            if v.removed
            else relocate_many([quote], original.text, v.text)[0]
        )
        rows.append(
            dict(comment_id=comment.id, version_id=v.id, status=p.status, start=p.start, end=p.end)
        )
    if rows:
        session.execute(sa.insert(CommentAnchor), rows)
    return len(rows)


def placements_on(
    session: Session, comments: list[Comment], version: Version
) -> dict[int, Placement]:
    """Where each root comment sits on `version`: exact on its own version, cached elsewhere.

    One query for the whole margin; a pair missing from the cache (a version older than the
    comment) is computed on the spot, never stored by a page view.
    """
    cached = (
        {
            a.comment_id: Placement(a.status, a.start, a.end)
            for a in session.scalars(
                sa.select(CommentAnchor).where(
                    CommentAnchor.version_id == version.id,
                    CommentAnchor.comment_id.in_([c.id for c in comments]),
                )
            )
        }
        if comments
        else {}
    )
    out: dict[int, Placement] = {}
    for c in comments:
        if c.version_id == version.id:
            out[c.id] = Placement("anchored", c.start, c.end)
        elif c.id in cached:
            out[c.id] = cached[c.id]
        elif version.removed:
            out[c.id] = Placement("orphaned", None, None)
        else:
            out[c.id] = relocate_many([quote_of(c)], c.version.text, version.text)[0]
    return out
