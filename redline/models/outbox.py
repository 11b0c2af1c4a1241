"""The outbox: every e-mail Redline means to send, written in the transaction that caused it and
sent afterwards by a worker (`flask notifications send`, the in-process scheduler, or RQ)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from redline.extensions import db
from redline.models.types import UTCDateTime, utcnow

MAIL_KINDS = ("invitation", "password_reset", "notification", "digest")


class OutboxMail(db.Model):
    """One e-mail to one address. `key` (the idempotency key) is unique, so queueing the same
    notification twice writes one row; `message_id` is fixed when the row is written, so every
    attempt sends the same Message-ID and an interrupted attempt can be recognised afterwards.
    `attempt_started_at` is set (and committed) just before the SMTP transaction and cleared
    when its outcome is recorded: a value left behind means the sender died in between."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(30))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    message_id: Mapped[str] = mapped_column(sa.String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempt_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {MAIL_KINDS!r}", name="kind"),
        sa.Index("ix_outbox_due", "sent_at", "next_attempt_at"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.kind} to {self.to_address}>"
