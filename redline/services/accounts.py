"""Accounts: creating people, checking passwords (throttled), issuing and revoking API tokens."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from redline.models import CATEGORIES, ROLES, ApiToken, LoginFailure, User, utcnow
from redline.security import token_digest
from redline.services import audit
from redline.services.errors import BadInput, Conflict, NotFound, ServiceError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
# scrypt: memory-hard, the modern choice in Werkzeug. Tests lower the cost for speed.
HASH_METHOD = "scrypt"


class TooManyAttempts(ServiceError):
    status = 429
    code = "too_many_requests"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_account(
    email: str, name: str, role: str, category: str | None, organisation: str | None
) -> None:
    if not EMAIL.match(email) or len(email) > 254:
        raise BadInput(f"'{email}' is not a valid e-mail address.")
    if not name.strip() or len(name) > 200:
        raise BadInput("A name of 1 to 200 characters is required.")
    if role not in ROLES:
        raise BadInput(f"Role must be one of: {', '.join(ROLES)}.")
    if role == "stakeholder" and category not in CATEGORIES:
        raise BadInput(f"A stakeholder needs a category: one of {', '.join(CATEGORIES)}.")
    if role != "stakeholder" and category:
        raise BadInput("Only stakeholders have a category.")
    if organisation and len(organisation) > 200:
        raise BadInput("The organisation name is too long (200 characters at most).")


def validate_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise BadInput(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > 1000:
        raise BadInput("That password is too long.")


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    category: str | None = None,
    organisation: str | None = None,
    actor: User | None = None,
) -> User:
    email = normalise_email(email)
    category = category or None
    validate_account(email, name, role, category, organisation)
    validate_password(password)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"An account for {email} already exists.")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        category=category,
        organisation=(organisation or "").strip() or None,
        password_hash=generate_password_hash(password, method=HASH_METHOD),
    )
    session.add(user)
    audit.record(session, actor, "user.create", user, f"{email} as {role}")
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    return user


def user_by_email(session: Session, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No account for {normalise_email(email)}.")
    return user


def set_active(session: Session, user: User, active: bool, actor: User | None) -> None:
    if actor is not None and user.id == actor.id and not active:
        raise BadInput("You cannot deactivate your own account.")
    user.active = active
    if not active:  # a deactivated person's scripts stop too
        for token in user.tokens:
            token.revoked_at = token.revoked_at or utcnow()
    audit.record(session, actor, "user.activate" if active else "user.deactivate", user, user.email)


def reset_password(session: Session, user: User, password: str, actor: User | None) -> None:
    validate_password(password)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)
    audit.record(session, actor, "user.reset_password", user, user.email)


def issue_token(session: Session, user: User, actor: User | None = None) -> str:
    """A new random token; only its hash is kept, so it is shown once."""
    if not user.active:
        raise BadInput(f"{user.email} is deactivated.")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=token_digest(token))
    session.add(row)
    audit.record(session, actor or user, "token.issue", row, user.email)
    return token


def revoke_tokens(session: Session, user: User, actor: User | None) -> int:
    n = 0
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            n += 1
    audit.record(session, actor, "token.revoke", user, f"{n} token(s) of {user.email}")
    return n


def authenticate(
    session: Session,
    email: str,
    password: str,
    client: str,
    max_failures: int,
    window_seconds: int,
) -> User | None:
    """The account for these credentials, or None. Repeated failures for one account or from one
    client are refused for a while (TooManyAttempts), so passwords cannot be guessed at speed."""
    email = normalise_email(email)
    keys = (f"account:{email}"[:300], f"client:{client}"[:300])
    since = utcnow() - timedelta(seconds=window_seconds)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.at < since))
    for key in keys:
        failures = session.scalar(
            sa.select(sa.func.count()).where(LoginFailure.key == key, LoginFailure.at >= since)
        )
        if failures >= max_failures:
            session.commit()
            raise TooManyAttempts(
                "Too many failed sign-in attempts. Wait a few minutes and try again."
            )
    user = session.scalar(sa.select(User).where(User.email == email))
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    if not ok:
        session.add_all(LoginFailure(key=key) for key in keys)
        session.commit()
        return None
    session.execute(sa.delete(LoginFailure).where(LoginFailure.key == keys[0]))
    return user
