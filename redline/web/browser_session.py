"""Signing a browser in on a new server-side session (see services/sign_in.py)."""

from __future__ import annotations

from flask import current_app, request
from flask_login import login_user

from redline.extensions import db
from redline.models import User
from redline.services import sign_in


def sign_in_browser(user: User, remember: bool) -> None:
    """A new session for this browser: a fresh token, so the cookie differs at every login."""
    sign_in.start_session(db.session, user)
    db.session.commit()
    login_user(user, remember=remember)


def remembered() -> bool:
    """Whether this browser signed in with "remember me" (it keeps that after a new session)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
