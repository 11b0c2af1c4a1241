"""Setting a password from a link in a mail: asking for a reset, and using a reset or
invitation link. The answer to a reset request never says whether the address has an account."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from redline.models import OutboxMail, User, utcnow
from redline.services import account_links, accounts, audit, sign_in
from redline.services.errors import BadInput

MAX_PER_HOUR = 3  # reset mails per account per hour; more requests are answered but not mailed


def _recent_requests(session: Session, user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMail)
        .where(
            OutboxMail.to_user_id == user.id,
            OutboxMail.kind == "password_reset",
            OutboxMail.created_at >= since,
        )
    )


def request_reset(session: Session, email: str) -> None:
    """Queue a reset mail if an active account has this address; otherwise do nothing. The
    caller answers the same either way (and the work done is the same order of size)."""
    email = accounts.normalise_email(email)
    if not accounts.EMAIL.match(email) or len(email) > 254:
        raise BadInput("Give the e-mail address of your account, e.g. name@example.org.")
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is None or not user.active or _recent_requests(session, user) >= MAX_PER_HOUR:
        return  # the same answer: nobody learns of the account, nor fills its mailbox
    account_links.mail_link(
        session,
        user,
        "password_reset",
        "/auth/reset",
        email=user.email,
        minutes=max(1, account_links.max_age("password_reset") // 60),
    )
    audit.record(session, None, "user.reset_requested", user, user.email)


def check_link(session: Session, token: str, purpose: str) -> User:
    return account_links.user_for_token(session, token, purpose)


def set_password_from_link(session: Session, token: str, purpose: str, password: str) -> User:
    """Set the password the link allows: the link then stops working (its fingerprint no longer
    matches), every session of the account ends and its API tokens are revoked."""
    user = account_links.user_for_token(session, token, purpose)
    accounts.validate_password(password)
    user.password_hash = generate_password_hash(password, method=accounts.HASH_METHOD)
    n = sign_in.end_all_sessions(session, user)
    t = accounts.revoke_all(user)
    action = "user.accept_invitation" if purpose == "invitation" else "user.reset_by_link"
    audit.record(
        session, user, action, user, f"{user.email}; {n} session(s) ended, {t} token(s) revoked"
    )
    return user
