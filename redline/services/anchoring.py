"""Keep comments on their passages: placed once per new version, cached as CommentAnchor.

The rule and the computation are :mod:`redline.services.placement`'s; this module writes the
cache when a version is saved or a comment is made on an older text.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text.anchors import ORPHANED
from redline.models import Comment, CommentAnchor, Version
from redline.services.placement import QUOTE_COLUMNS, quote_of, relocate_groups


def place_comments(session: Session, version: Version) -> int:
    """Relocate every anchored comment of the provision onto `version`; returns how many.

    Comments are grouped by the version they were made on, so each (original, new) pair of
    texts is diffed once however many comments it carries. Plain columns in, one executemany
    out: no ORM object is made for the comments or their anchors.
    """
    rows = session.execute(
        sa.select(*QUOTE_COLUMNS).where(
            Comment.provision_id == version.provision_id,
            Comment.parent_id.is_(None),
            Comment.start.is_not(None),
            Comment.version_id != version.id,
        )
    ).all()
    if not rows:
        return 0
    if version.removed:  # every passage is gone with the provision: nothing to diff
        placed = {row.id: ORPHANED for row in rows}
    else:
        by_origin: dict[int, list[sa.Row]] = defaultdict(list)
        for row in rows:
            by_origin[row.version_id].append(row)
        origin_text = dict(
            session.execute(
                sa.select(Version.id, Version.text).where(Version.id.in_(list(by_origin)))
            ).all()
        )
        placed = relocate_groups(
            (origin_text[origin_id], version.text, [(r.id, quote_of(r)) for r in group])
            for origin_id, group in by_origin.items()
        )
    session.execute(
        sa.insert(CommentAnchor.__table__),
        [
            dict(comment_id=cid, version_id=version.id, status=p.status, start=p.start, end=p.end)
            for cid, p in placed.items()
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
            ORPHANED
            if v.removed
            else relocate_groups([(original.text, v.text, [(comment.id, quote)])])[comment.id]
        )
        rows.append(
            dict(comment_id=comment.id, version_id=v.id, status=p.status, start=p.start, end=p.end)
        )
    if rows:
        session.execute(sa.insert(CommentAnchor), rows)
    return len(rows)
