"""The outline beside an instrument's text: per provision, whether it changed since the
previous meeting the reader may see, the comments the reader may see on it (open / with a
disposition, where the reader may see dispositions) and its open square brackets.

A fixed number of queries whatever the size of the instrument (the page already holds the
versions): the previous meeting's text, and one grouped count of comments.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.drafts.outline import Node, division_rank, nest
from redline.domain.text.brackets import parse
from redline.domain.text.compare import ProvisionChange
from redline.domain.text.redline import stats
from redline.models import Comment, Meeting, User, Version
from redline.services import policy, texts


@dataclass(frozen=True)
class Entry:
    provision_id: int
    title: str
    number: str
    heading: str
    kind: str
    changed: bool | None  # None: no earlier meeting to compare with
    comments: int  # thread starts the reader may see
    # Of which still open (neither resolved nor decided) and with a disposition; None where
    # the reader may not see dispositions (policy.sees_dispositions).
    undecided: int | None
    decided: int | None
    open_brackets: int


def of_text(
    session: Session,
    user: User,
    meeting: Meeting,
    versions: list[Version],
    visible: list[Meeting],
) -> list[Node[Entry]]:
    """The outline of the text as of `meeting` (`versions`, as the page shows them), compared
    with the visible meeting before it."""
    earlier = [m for m in visible if m.position < meeting.position]
    before = (
        {v.provision_id: v for v in texts.versions_as_of(session, earlier[-1])} if earlier else None
    )
    counts = _comment_counts(session, user, meeting)
    sees_decisions = policy.sees_dispositions(user)
    entries = []
    for v in versions:
        total, undecided, decided = counts.get(v.provision_id, (0, 0, 0))
        entries.append(
            Entry(
                provision_id=v.provision_id,
                title=v.title,
                number=v.number,
                heading=v.heading,
                kind=v.kind,
                changed=None if before is None else _changed(before.get(v.provision_id), v),
                comments=total,
                undecided=undecided if sees_decisions else None,
                decided=decided if sees_decisions else None,
                open_brackets=len(parse(v.text).pairs),
            )
        )
    return nest(entries, _rank)


def _rank(e) -> int | None:
    if e.kind != "division":
        return None
    return division_rank(e.number, e.heading)


def _changed(old: Version | None, new: Version) -> bool:
    if old is None:
        return True
    return (old.text, old.number, old.heading, old.notes) != (
        new.text,
        new.number,
        new.heading,
        new.notes,
    )


def _comment_counts(
    session: Session, user: User, meeting: Meeting
) -> dict[int, tuple[int, int, int]]:
    """Provision id → (thread starts the reader may see on versions up to `meeting`, of which
    still open, and with a disposition): one grouped query."""
    has_disposition = Comment.disposition.is_not(None)
    still_open = sa.and_(Comment.status == "open", Comment.disposition.is_(None))
    decided = sa.func.sum(sa.case((has_disposition, 1), else_=0))
    undecided = sa.func.sum(sa.case((still_open, 1), else_=0))
    rows = session.execute(
        sa.select(Comment.provision_id, sa.func.count(Comment.id), undecided, decided)
        .join(Version, Comment.version_id == Version.id)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(
            Meeting.instrument_id == meeting.instrument_id,
            Meeting.position <= meeting.position,
            Comment.parent_id.is_(None),
            Comment.deleted_at.is_(None),
            policy.comment_clause(user),
        )
        .group_by(Comment.provision_id)
    )
    return {pid: (total, int(und or 0), int(dec or 0)) for pid, total, und, dec in rows}


@dataclass(frozen=True)
class ChangeEntry:
    """A provision of the compare page's outline: what happened to it and how many words."""

    provision_id: int
    title: str
    kind: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    moved: bool
    inserted: int
    deleted: int
    number: str
    heading: str


def of_changes(changes: list[ProvisionChange], title_of) -> list[Node[ChangeEntry]]:
    """The compare page's outline, from the comparison it shows (no query): `title_of(change)`
    names a provision as the page does."""
    entries = []
    for c in changes:
        s = stats(c.ops)
        ref = c.after or c.before
        entries.append(
            ChangeEntry(
                provision_id=c.provision_id,
                title=title_of(c),
                kind=c.kind,
                status=c.status,
                moved=c.moved,
                inserted=s.inserted_words,
                deleted=s.deleted_words,
                number=ref.number if ref else "",
                heading=ref.heading if ref else "",
            )
        )
    return nest(entries, _rank)
