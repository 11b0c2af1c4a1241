"""The drafting record: instruments, meetings, provisions and their immutable versions."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from redline.domain.text.titles import heading_label
from redline.extensions import db
from redline.models.accounts import User
from redline.models.types import UTCDateTime, utcnow

MEETING_KINDS = ("plenary", "drafting_group", "subgroup", "consultation", "other")
MEETING_KIND_LABELS = {
    "plenary": "Drafting plenary",
    "drafting_group": "Drafting group",
    "subgroup": "Subgroup",
    "consultation": "Consultation",
    "other": "Other",
}
PROVISION_KINDS = ("preamble", "article", "division", "annex", "other")


class Instrument(db.Model):
    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="instrument", order_by="Meeting.position"
    )


class Meeting(db.Model):
    """A drafting meeting; the instrument's text 'as of' it is what its versions made it."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20), default="plenary")
    date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    # Chronological rank within the instrument, kept dense (0, 1, 2...) by the meetings service.
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    # Where the text recorded at this meeting came from (e.g. the source line of an import).
    source: Mapped[str] = mapped_column(sa.Text, default="")
    # The language of the document recorded at this meeting (BCP 47 as Word writes w:lang,
    # e.g. "fr-FR"); "" when unknown (text files, editor-made meetings).
    language: Mapped[str] = mapped_column(sa.String(35), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="meetings")

    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "title", name="uq_meetings_instrument_title"),
        sa.Index("ix_meetings_instrument_position", "instrument_id", "position"),
        sa.CheckConstraint(f"kind IN {MEETING_KINDS!r}", name="kind"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="status"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Provision(db.Model):
    """A provision's stable identity; its number, heading, place and text live in versions."""

    __tablename__ = "provisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    instrument: Mapped[Instrument] = relationship()


class Version(db.Model):
    """One state of a provision, recorded at a meeting. Never updated, never deleted."""

    __tablename__ = "versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    provision_id: Mapped[int] = mapped_column(sa.ForeignKey("provisions.id"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    number: Mapped[str] = mapped_column(sa.String(100), default="")
    heading: Mapped[str] = mapped_column(sa.String(500), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="article")
    # Document order; fractional so a provision can be put between two others without
    # recording a new version of every provision after it.
    position: Mapped[float] = mapped_column(sa.Float)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    # Footnotes and endnotes whose `[^marker]` stands in `text`, in order of their markers:
    # [{"marker": "1", "text": "...", "kind": "footnote"|"endnote"}]. Part of the version
    # like the text: a changed note is a new version.
    notes: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    # "rtl" for a provision written right to left (Word's w:bidi), else "ltr".
    direction: Mapped[str] = mapped_column(sa.String(3), default="ltr", server_default="ltr")
    removed: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("versions.id"))
    # Set when a concurrent edit was merged: the head this version's edit was merged into.
    merged_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("versions.id"))

    provision: Mapped[Provision] = relationship()
    meeting: Mapped[Meeting] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index("ix_versions_provision_meeting", "provision_id", "meeting_id"),
        # History is linear: a version is the parent of at most one version. Two concurrent
        # saves from the same head cannot both land; the loser re-merges on the new head.
        sa.UniqueConstraint("parent_id", name="uq_versions_parent_id"),
        sa.CheckConstraint(f"kind IN {PROVISION_KINDS!r}", name="kind"),
        sa.CheckConstraint("direction IN ('ltr', 'rtl')", name="direction"),
    )

    @property
    def title(self) -> str:
        """How drafters name it: 'Article 6 – Direct disclosure', '0. Definitions' (a bare
        section number reads with its period), or just one of the two: the one format of
        `heading_label`, so the compare page and Word say the same."""
        return heading_label(self.number, self.heading, self.kind) or "(untitled)"


@event.listens_for(Version, "before_update")
def _versions_are_immutable(mapper, connection, target):  # noqa: ARG001 - SQLAlchemy signature
    raise ValueError("versions are immutable: record a new version instead")


@event.listens_for(Version, "before_delete")
def _versions_are_never_deleted(mapper, connection, target):  # noqa: ARG001
    raise ValueError("versions are never deleted: record a removal instead")


class RedlineCache(db.Model):
    """Diff ops between two versions. Versions never change, so an entry is valid forever."""

    __tablename__ = "redline_cache"

    from_version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"), primary_key=True)
    to_version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"), primary_key=True)
    ops: Mapped[str] = mapped_column(sa.Text)  # JSON [[kind, text], ...]


class PassageHistoryCache(db.Model):
    """Which version wrote each character of a version, for one chain of versions (the record,
    or the published texts a stakeholder was shown). `chain` is a digest of that chain's
    version ids, so a chain that changes (a meeting published later) never reads stale runs.
    Versions never change, so an entry is valid forever."""

    __tablename__ = "passage_history_cache"

    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"), primary_key=True)
    chain: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    runs: Mapped[str] = mapped_column(sa.Text)  # JSON [[start, end, version_id], ...]
