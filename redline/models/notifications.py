"""What people are told: in-app notifications, each person's choice per kind, and who is
editing which provision right now (presence)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from redline.extensions import db
from redline.models.types import UTCDateTime, utcnow

# The kinds a person can be told of, in the order the preferences page lists them.
NOTIFICATION_KINDS = (
    "consultation_opened",
    "deadline_near",
    "reply",
    "disposition",
    "passage_changed",
    "draft_imported",
)
NOTIFICATION_KIND_LABELS = {
    "consultation_opened": "A consultation opened for my category",
    "deadline_near": "A consultation's deadline is near",
    "reply": "A reply to my comment",
    "disposition": "A decision recorded on my comment",
    "passage_changed": "New text changed or removed a passage I commented on",
    "draft_imported": "A new draft was imported",
}
# How the e-mail goes out; the in-app notification is always written.
DELIVERIES = ("immediately", "daily", "never")
DEFAULT_DELIVERY = "immediately"


class Notification(db.Model):
    """One thing one person is told, once: `key` names the event, unique per person."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    key: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    # The delivery chosen when it was written, and when its e-mail (alone or in a digest) was
    # queued: the digest takes the "daily" ones not yet mailed, so running it twice sends once.
    delivery: Mapped[str] = mapped_column(sa.String(12), default=DEFAULT_DELIVERY)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_notification_user_key"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
        sa.CheckConstraint(f"delivery IN {DELIVERIES!r}", name="delivery"),
    )


class NotificationPreference(db.Model):
    """How one person wants one kind by e-mail; no row means DEFAULT_DELIVERY."""

    __tablename__ = "notification_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    delivery: Mapped[str] = mapped_column(sa.String(12))

    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", name="uq_preference_user_kind"),
        sa.CheckConstraint(f"delivery IN {DELIVERIES!r}", name="delivery"),
    )


class Presence(db.Model):
    """Someone has a provision's editor open: refreshed by the editor's heartbeat, ignored once
    `seen_at` is older than the expiry (nothing has to clean it up for it to stop showing)."""

    __tablename__ = "presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    provision_id: Mapped[int] = mapped_column(sa.ForeignKey("provisions.id"), index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("user_id", "provision_id", name="uq_presence_user_provision"),
    )
