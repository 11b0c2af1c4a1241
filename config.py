"""Configuration read from the environment, with safe defaults for development and tests."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"Redline: {name} must be an integer, got {raw!r}") from None


class Config:
    """Production and development settings; every value can come from the environment."""

    # No default: a production start without SECRET_KEY stops (see redline.create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'redline.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    MAX_TEXT_CHARS = _int("MAX_TEXT_CHARS", 200_000)
    # Uploaded drafts (.docx) are bigger than their text; cap the whole request body.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Number of reverse proxies in front of the app (for X-Forwarded-* headers); 0 = none.
    PROXY_FIX = _int("PROXY_FIX", 0)
    WTF_CSRF_ENABLED = True
    # CSRF is checked by redline.security for every unsafe request not signed by a bearer token.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None  # drafting sessions last all day; the token lives with the session
    DEV = os.environ.get("FLASK_DEBUG", "") == "1" or os.environ.get("REDLINE_DEV", "") == "1"
    # Notifications: the address links in e-mails start with, and how many days before a
    # consultation's deadline its stakeholders are reminded (`flask notifications due`).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:5000")
    NOTIFY_DEADLINE_DAYS = _int("NOTIFY_DEADLINE_DAYS", 3)
    # How often an open instrument page asks whether its text or comments moved (seconds).
    INSTRUMENT_POLL_SECONDS = _int("INSTRUMENT_POLL_SECONDS", 15)
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 10)
    LOGIN_FAILURE_WINDOW = _int("LOGIN_FAILURE_WINDOW", 15 * 60)


class TestConfig(Config):
    """Tests: an in-memory or throwaway database, a fixed key, CSRF on (tests send tokens)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - test only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    MAX_TEXT_CHARS = 200_000
    LOGIN_MAX_FAILURES = 5
