"""The text of an instrument as of a meeting, and a provision's history."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from redline.models import Meeting, Provision, Version


def _latest_per_provision(instrument_id: int, up_to_position: int):
    """Rank each provision's versions newest first, over meetings up to a point."""
    rank = (
        sa.func.row_number()
        .over(
            partition_by=Version.provision_id,
            order_by=(Meeting.position.desc(), Version.id.desc()),
        )
        .label("rank")
    )
    return (
        sa.select(Version.id, rank)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(Meeting.instrument_id == instrument_id, Meeting.position <= up_to_position)
        .subquery()
    )


def versions_as_of(
    session: Session, meeting: Meeting, include_removed: bool = False
) -> list[Version]:
    """Each provision's newest version made at `meeting` or earlier, in document order.

    Untouched provisions carry forward; removed provisions are left out unless asked for.
    """
    ranked = _latest_per_provision(meeting.instrument_id, meeting.position)
    # No eager loading of meeting and author: no page that shows a whole text uses them, and
    # loading them tripled the cost of this query (a compare page runs it twice).
    stmt = (
        sa.select(Version)
        .join(ranked, Version.id == ranked.c.id)
        .where(ranked.c.rank == 1)
        .order_by(Version.position, Version.id)
    )
    if not include_removed:
        stmt = stmt.where(Version.removed.is_(False))
    return list(session.scalars(stmt))


def version_as_of(session: Session, provision_id: int, meeting: Meeting) -> Version | None:
    """One provision's version as of a meeting (None if it did not exist yet)."""
    return session.scalar(
        sa.select(Version)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(Version.provision_id == provision_id, Meeting.position <= meeting.position)
        .order_by(Meeting.position.desc(), Version.id.desc())
        .limit(1)
    )


def versions_as_of_each(
    session: Session, provision_id: int, meetings: Sequence[Meeting]
) -> dict[int, Version | None]:
    """One provision's version as of each of several meetings of its instrument (meeting id →
    version, None if it did not exist yet), like `version_as_of` but in one query however many
    meetings are asked about."""
    versions = history(session, provision_id)  # by (meeting position, id), meetings loaded
    positions = [v.meeting.position for v in versions]
    out: dict[int, Version | None] = {}
    for meeting in meetings:
        # The newest version at this meeting or before: the last one at or below its position.
        i = bisect_right(positions, meeting.position)
        out[meeting.id] = versions[i - 1] if i else None
    return out


def head(session: Session, provision_id: int) -> Version | None:
    """The newest version of a provision, across all meetings."""
    return session.scalar(
        sa.select(Version)
        .join(Meeting, Version.meeting_id == Meeting.id)
        .where(Version.provision_id == provision_id)
        .order_by(Meeting.position.desc(), Version.id.desc())
        .limit(1)
    )


def history(session: Session, provision_id: int) -> list[Version]:
    """Every version of a provision, oldest first."""
    return list(
        session.scalars(
            sa.select(Version)
            .join(Meeting, Version.meeting_id == Meeting.id)
            .where(Version.provision_id == provision_id)
            .options(joinedload(Version.meeting), joinedload(Version.author))
            .order_by(Meeting.position, Version.id)
        )
    )


def provisions_of(session: Session, instrument_id: int) -> list[Provision]:
    return list(
        session.scalars(
            sa.select(Provision)
            .where(Provision.instrument_id == instrument_id)
            .order_by(Provision.id)
        )
    )
