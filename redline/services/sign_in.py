"""Signing in: checking a password with equal work for every e-mail, throttling guessers without
locking anyone out, and the sign-in sessions that cookies name.

Throttling (kept in the database, so it holds across gunicorn workers) counts failed attempts in a
sliding window under three keys:

- per client (an IP address), over all accounts: `client_limit` failures, then 429;
- per (client, account): `pair_limit` failures, then 429;
- per account, over all clients: past `pair_limit` failures the account is "under attack", and a
  client that has itself failed recently must wait between attempts on it (a delay doubling with
  each further failure, at most MAX_SLOWDOWN seconds). A client with no recent failure is never
  slowed: whoever floods an account from elsewhere cannot lock its owner out (OWASP).

Failures are counted for unknown e-mails exactly as for known ones, so neither the answers nor the
time they take tell an attacker which accounts exist.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from redline.models import LoginFailure, User, UserSession, utcnow
from redline.services.errors import ServiceError

MAX_SLOWDOWN = 60  # seconds between attempts on an account under attack, for a failing client
MAX_SESSIONS = 50  # signed-in browsers per person; the oldest go first
MAX_KEY = 300


class TooManyAttempts(ServiceError):
    status = 429
    code = "too_many_requests"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a password nobody knows, checked for unknown e-mails and deactivated accounts so
    that they cost what a real check costs."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _keys(client: str, email: str) -> dict[str, str]:
    return {
        "client": f"client:{client}"[:MAX_KEY],
        "pair": f"pair:{client}|{email}"[:MAX_KEY],
        "account": f"account:{email}"[:MAX_KEY],
    }


def _failures(session: Session, key: str, since: datetime) -> tuple[int, datetime | None]:
    count, last = session.execute(
        sa.select(sa.func.count(), sa.func.max(LoginFailure.at)).where(
            LoginFailure.key == key, LoginFailure.at >= since
        )
    ).one()
    return count, last


def slowdown(failures_past_limit: int) -> int:
    """Seconds a failing client waits between attempts on an account under attack."""
    return min(2 ** min(failures_past_limit, 16), MAX_SLOWDOWN)


def _check_throttle(
    session: Session, keys: dict[str, str], pair_limit: int, client_limit: int, since: datetime
) -> None:
    wait = "Too many failed sign-in attempts. Wait a few minutes and try again."
    client_failures, _ = _failures(session, keys["client"], since)
    if client_failures >= client_limit:
        raise TooManyAttempts(wait)
    if client_failures == 0:
        return  # a client that has not failed is never refused: no lockout by others
    pair_failures, _ = _failures(session, keys["pair"], since)
    if pair_failures >= pair_limit:
        raise TooManyAttempts(wait)
    account_failures, last = _failures(session, keys["account"], since)
    if account_failures >= pair_limit and last is not None:
        delay = slowdown(account_failures - pair_limit)
        if utcnow() - last < timedelta(seconds=delay):
            raise TooManyAttempts(
                f"Too many failed sign-in attempts on this account. Wait {delay} seconds "
                "and try again."
            )


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    client: str,
    pair_limit: int,
    client_limit: int,
    window_seconds: int,
    hash_method: str,
) -> User | None:
    """The active account for these credentials, or None (after recording the failure). Raises
    TooManyAttempts, before any password is checked, when this client must wait."""
    email = (email or "").strip().lower()
    keys = _keys(client, email)
    since = utcnow() - timedelta(seconds=window_seconds)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.at < since))
    try:
        _check_throttle(session, keys, pair_limit, client_limit, since)
    except TooManyAttempts:
        session.commit()
        raise
    user = session.scalar(sa.select(User).where(User.email == email)) if len(email) <= 254 else None
    known = user is not None and user.active
    # Equal work: the hash runs whether or not the account exists or is active.
    # No stored password is longer than 1,000 characters, so a 1,001-character prefix of a
    # longer one cannot match either, and hashing it costs what any password costs.
    matches = check_password_hash(
        user.password_hash if known else _dummy_hash(hash_method), (password or "")[:1001]
    )
    if not (known and matches):
        session.add_all(LoginFailure(key=key) for key in keys.values())
        session.commit()
        return None
    session.execute(sa.delete(LoginFailure).where(LoginFailure.key == keys["pair"]))
    return user


# --- sign-in sessions -----------------------------------------------------------------------


def start_session(session: Session, user: User) -> str:
    """A new sign-in session for `user` (a new random token at every login, so no two cookies
    are alike); the token is kept on the user for Flask-Login's get_id()."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, token_hash=_digest(token)))
    session.flush()
    surplus = session.scalars(
        sa.select(UserSession.id)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        .offset(MAX_SESSIONS)
    ).all()
    if surplus:
        session.execute(sa.delete(UserSession).where(UserSession.id.in_(surplus)))
    user.session_token = token
    return token


def user_for_session(session: Session, alt_id: str, max_age: timedelta) -> User | None:
    """The user a cookie's "<user id>:<token>" names, if that session still exists, is younger
    than `max_age` and the account is active; otherwise None (the cookie signs nobody in)."""
    user_id, sep, token = alt_id.partition(":")
    if not (sep and user_id.isascii() and user_id.isdigit() and len(user_id) <= 10):
        return None
    if not token or len(token) > 100:
        return None
    user = session.scalar(
        sa.select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            UserSession.token_hash == _digest(token),
            UserSession.created_at >= utcnow() - max_age,
        )
    )
    if user is None or not user.active:
        return None
    user.session_token = token
    return user


def end_session(session: Session, user: User) -> None:
    """End the session this request came in on (logout)."""
    if user.session_token:
        session.execute(
            sa.delete(UserSession).where(
                UserSession.user_id == user.id,
                UserSession.token_hash == _digest(user.session_token),
            )
        )
    user.session_token = None


def end_all_sessions(session: Session, user: User) -> int:
    """End every sign-in session of `user`: each cookie naming one, remember-me included, stops
    working at its next request. Returns how many ended."""
    result = session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    session.expire(user, ["sessions"])
    return result.rowcount or 0


def count_sessions(session: Session) -> dict[int, int]:
    """Signed-in browsers per user id, for the accounts page."""
    rows = session.execute(
        sa.select(UserSession.user_id, sa.func.count()).group_by(UserSession.user_id)
    ).all()
    return {user_id: n for user_id, n in rows}
