"""People and their credentials: accounts, API tokens, failed logins (for throttling)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from redline.extensions import db
from redline.models.types import UTCDateTime, utcnow

ROLES = ("secretariat", "drafter", "stakeholder", "observer")
CATEGORIES = ("civil_society", "data_protection", "industry")
CATEGORY_LABELS = {
    "civil_society": "Civil society and academia",
    "data_protection": "Data protection",
    "industry": "Industry",
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(20))
    category: Mapped[str | None] = mapped_column(sa.String(30))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")
    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The sign-in session this request was authenticated by (set at login and by the loader);
    # not a column: one person may be signed in on several devices at once.
    session_token = None  # str | None

    __table_args__ = (
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
        sa.CheckConstraint(
            "(role = 'stakeholder') = (category IS NOT NULL)", name="stakeholder_category"
        ),
    )

    def get_id(self) -> str:
        """Flask-Login's alternative id: "<user id>:<session token>". The session cookie and the
        remember-me cookie carry it, and it stops working the moment its UserSession row is
        deleted (logout, password change, deactivation, the secretariat ending sessions)."""
        return f"{self.id}:{self.session_token or ''}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):
    """One signed-in browser. Only the token's SHA-256 is stored; the cookie holds the token."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="sessions")


class LoginFailure(db.Model):
    """One failed login, kept briefly: shared by all workers, so throttling holds under gunicorn."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.Index("ix_login_failures_key_at", "key", "at"),)
