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
    # E-mail. No MAIL_SERVER: mails are written to the console (and to MAIL_FOLDER if set).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Redline <redline@localhost>")
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO") or None
    MAIL_FOLDER = os.environ.get("MAIL_FOLDER") or None
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_RETRY_BASE = _int("MAIL_RETRY_BASE", 60)  # seconds; doubled after each failure
    # A claim older than this is an interrupted send: recorded as sent, never sent again.
    MAIL_ATTEMPT_LEASE = _int("MAIL_ATTEMPT_LEASE", 600)
    # Seconds between runs of the in-process sender (`make run`); 0 = none.
    MAIL_SEND_INTERVAL = _int("MAIL_SEND_INTERVAL", 0)
    # The base of every link in a mail, e.g. https://redline.example.org
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "redline-mail")
    INVITATION_MAX_AGE = _int("INVITATION_MAX_AGE", 14 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)


class TestConfig(Config):
    """Tests: an in-memory or throwaway database, a fixed key, CSRF on (tests send tokens)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - test only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    MAX_TEXT_CHARS = 200_000
    LOGIN_MAX_FAILURES = 5
    MAIL_SERVER = None
    MAIL_FOLDER = None
    REDIS_URL = None
    PUBLIC_URL = "http://redline.test"
