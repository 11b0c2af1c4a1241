"""Accounts: creating people, passwords, activation, ending sessions, issuing and revoking API
tokens. Signing in itself (throttling, sessions) is in services/sign_in.py."""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from redline.models import CATEGORIES, ROLES, ApiToken, User, utcnow
from redline.services import audit, sign_in
from redline.services.errors import BadInput, Conflict, NotFound

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
# scrypt: memory-hard, the modern choice in Werkzeug. Tests lower the cost for speed.
HASH_METHOD = "scrypt"


def token_digest(token: str) -> str:
    """What is stored of an API token: its SHA-256 (the token itself is shown once)."""
    return hashlib.sha256(token.encode()).hexdigest()


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


def all_users(session: Session) -> list[User]:
    """Every account, by role then e-mail, for the secretariat's accounts page."""
    return list(session.scalars(sa.select(User).order_by(User.role, User.email)))


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
    # Both ways: a deactivated person's browsers and scripts stop, and reactivation starts from
    # nothing, so no cookie or token from before the deactivation comes back to life.
    sign_in.end_all_sessions(session, user)
    _revoke(user)
    audit.record(session, actor, "user.activate" if active else "user.deactivate", user, user.email)


def reset_password(session: Session, user: User, password: str, actor: User | None) -> None:
    """A new password set by the secretariat: every session of the account ends (remember-me
    cookies too) and its API tokens are revoked, since whoever knew the old password may hold
    them. A secretariat member resetting their own password signs in afresh in the view."""
    validate_password(password)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)
    n = sign_in.end_all_sessions(session, user)
    t = _revoke(user)
    audit.record(
        session,
        actor,
        "user.reset_password",
        user,
        f"{user.email}; {n} session(s) ended, {t} token(s) revoked",
    )


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """A person changing their own password: the current one must be right. Every session and
    token ends; the view starts a new session for the browser the change came from."""
    if not check_password_hash(user.password_hash, (current or "")[:1000]):
        raise BadInput("The current password is wrong.")
    if new == current:
        raise BadInput("The new password must differ from the current one.")
    validate_password(new)
    user.password_hash = generate_password_hash(new, method=HASH_METHOD)
    n = sign_in.end_all_sessions(session, user)
    t = _revoke(user)
    audit.record(
        session,
        user,
        "user.change_password",
        user,
        f"{user.email}; {n} session(s) ended, {t} token(s) revoked",
    )


def end_sessions(session: Session, user: User, actor: User | None) -> int:
    """The secretariat signs a person out everywhere (a lost laptop, a departing delegate)."""
    n = sign_in.end_all_sessions(session, user)
    audit.record(session, actor, "user.end_sessions", user, f"{n} session(s) of {user.email}")
    return n


def revoke_all(user: User) -> int:
    """Revoke every API token of the account (no audit line: the caller writes its own)."""
    return _revoke(user)


def _revoke(user: User) -> int:
    n = 0
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            n += 1
    return n


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
    n = _revoke(user)
    audit.record(session, actor, "token.revoke", user, f"{n} token(s) of {user.email}")
    return n
