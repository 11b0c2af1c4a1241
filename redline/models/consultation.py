"""Consultations on published text, and the comments made on passages of it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from redline.extensions import db
from redline.models.accounts import User
from redline.models.drafting import Instrument, Meeting, Provision, Version
from redline.models.types import UTCDateTime, utcnow

DISPOSITIONS = ("taken_into_account", "partly", "not_retained", "noted")
DISPOSITION_LABELS = {
    "taken_into_account": "Taken into account",
    "partly": "Partly taken into account",
    "not_retained": "Not retained",
    "noted": "Noted",
}
ANCHOR_STATUSES = ("anchored", "changed", "orphaned")


class Consultation(db.Model):
    """One meeting's text published for comment by stakeholders within a window."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    comments_visible: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the secretariat published the outcome (the compilation with dispositions and
    # reasons); None until then, and stakeholders see "under consideration".
    outcome_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    instrument: Mapped[Instrument] = relationship()
    meeting: Mapped[Meeting] = relationship()
    deadlines: Mapped[list[ConsultationDeadline]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="window"),)

    def closes_at_for(self, category: str | None) -> datetime:
        """The deadline for one stakeholder category (a per-category override or the default)."""
        for d in self.deadlines:
            if d.category == category:
                return d.closes_at
        return self.closes_at


class ConsultationDeadline(db.Model):
    """A different deadline for one stakeholder category."""

    __tablename__ = "consultation_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id"))
    category: Mapped[str] = mapped_column(sa.String(30))
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())

    consultation: Mapped[Consultation] = relationship(back_populates="deadlines")

    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "category", name="uq_deadline_category"),
    )


class Comment(db.Model):
    """A comment on a passage of one version (or a reply in its thread). Never hard-deleted."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    provision_id: Mapped[int] = mapped_column(sa.ForeignKey("provisions.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id"), index=True)
    # Position and quote selectors on the version's text (Python code point offsets);
    # replies carry none and sit with their thread.
    start: Mapped[int | None] = mapped_column()
    end: Mapped[int | None] = mapped_column()
    exact: Mapped[str | None] = mapped_column(sa.Text)
    prefix: Mapped[str | None] = mapped_column(sa.String(64))
    suffix: Mapped[str | None] = mapped_column(sa.String(64))
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    visibility: Mapped[str] = mapped_column(sa.String(20), default="internal")
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    disposition: Mapped[str | None] = mapped_column(sa.String(30))
    disposition_reason: Mapped[str] = mapped_column(sa.Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    provision: Mapped[Provision] = relationship()
    version: Mapped[Version] = relationship()
    author: Mapped[User] = relationship()
    consultation: Mapped[Consultation | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.CheckConstraint("visibility IN ('internal', 'consultation')", name="visibility"),
        sa.CheckConstraint("status IN ('open', 'resolved')", name="status"),
        sa.CheckConstraint(
            "(visibility = 'consultation') = (consultation_id IS NOT NULL)", name="consultation"
        ),
    )

    @property
    def withdrawn(self) -> bool:
        return self.deleted_at is not None


class CommentAnchor(db.Model):
    """Where a comment sits on a later version: computed once when that version is recorded."""

    __tablename__ = "comment_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id"))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    start: Mapped[int | None] = mapped_column()
    end: Mapped[int | None] = mapped_column()

    __table_args__ = (
        sa.UniqueConstraint("comment_id", "version_id", name="uq_anchor_comment_version"),
        sa.CheckConstraint(f"status IN {ANCHOR_STATUSES!r}", name="status"),
    )
