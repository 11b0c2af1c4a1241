"""Signed links in mails that let a person set a password: an invitation or a password reset.

A link carries the user id and a fingerprint of the current password hash, signed with
SECRET_KEY and a salt per purpose, and stamped with its time. It is therefore:
- signed: nobody can forge or alter one;
- expiring: INVITATION_MAX_AGE / PASSWORD_RESET_MAX_AGE seconds;
- single use and invalidated by any password change: setting a password changes the hash, so
  the fingerprint no longer matches (the same holds for a change by the person or the
  secretariat, and for a second reset link once the first was used).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from redline.mail.render import public_url, render_mail
from redline.models import User
from redline.services.errors import BadInput
from redline.services.mail import queue_mail

PURPOSES = {"invitation": "INVITATION_MAX_AGE", "password_reset": "PASSWORD_RESET_MAX_AGE"}
MAX_TOKEN = 500


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"redline-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "p": _fingerprint(user)})


def max_age(purpose: str) -> int:
    return int(current_app.config[PURPOSES[purpose]])


def user_for_token(session: Session, token: str, purpose: str) -> User:
    """The person a link is for, or BadInput saying (without detail an attacker could use)
    that the link is expired or no longer valid."""
    if not token or len(token) > MAX_TOKEN:
        raise BadInput("This link is not valid.")
    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired:
        raise BadInput("This link has expired. Ask for a new one.") from None
    except BadSignature:
        raise BadInput("This link is not valid.") from None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        raise BadInput("This link has already been used or is no longer valid. Ask for a new one.")
    return user


def mail_link(session: Session, user: User, purpose: str, path: str, **context) -> None:
    """Queue the mail that carries a single-use link for `purpose` ("invitation",
    "password_reset": also the mail's template and kind) to `user`; `path` is where the link
    leads, the token appended. Each request is its own mail (its own idempotency key)."""
    token = make_token(user, purpose)
    subject, text, html = render_mail(
        purpose, name=user.name, link=public_url(f"{path}/{token}"), **context
    )
    queue_mail(
        session,
        to=user,
        subject=subject,
        text=text,
        html=html,
        kind=purpose,
        key=f"{purpose}:{user.id}:{secrets.token_hex(8)}",
    )
