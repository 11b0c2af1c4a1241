"""Who is asking and what they may do: sessions, bearer tokens, roles, CSRF, headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Flask, abort, current_app, g, request, session
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from redline.extensions import csrf, db, login_manager
from redline.models import ApiToken, User, utcnow
from redline.services.accounts import token_digest

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


LAST_USED_RESOLUTION = timedelta(minutes=5)
# A sign-in session lives as long as the remember-me cookie may (Flask-Login's default: a year).
DEFAULT_SESSION_LIFETIME = timedelta(days=365)
MIN_SESSION_LIFETIME = timedelta(days=1)


# POSTs whose URL carries a signed, single-purpose token and that need no session (so no CSRF).
SIGNED_LINK_ENDPOINTS = frozenset({"notifications.unsubscribe"})


def init_security(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(alt_id: str) -> User | None:
        """The session or remember-me cookie names "<user id>:<session token>"; it signs in
        only while that session exists (see services/sign_in.py), checked on every request."""
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return None  # a request that names a token is judged by its token alone
        from redline.services import sign_in  # services import this module

        max_age = app.config.get("REMEMBER_COOKIE_DURATION", DEFAULT_SESSION_LIFETIME)
        if not isinstance(max_age, timedelta):
            max_age = timedelta(seconds=int(max_age))
        return sign_in.user_for_session(db.session, alt_id, max(max_age, MIN_SESSION_LIFETIME))

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        """`Authorization: Bearer <token>` for scripts; only the token's hash is stored."""
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header.removeprefix("Bearer ").strip()
        if not token or len(token) > 200:
            return None
        row = db.session.execute(
            db.select(ApiToken).where(
                ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
            )
        ).scalar_one_or_none()
        if row is None or not row.user.active:
            return None
        g.token_auth = True
        now = utcnow()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            # A convenience stamp for the secretariat: never let it fail a request.
            try:
                row.last_used_at = now
                db.session.commit()
            except OperationalError:
                db.session.rollback()
        return row.user

    @app.before_request
    def fresh_identity() -> None:
        """Judge every request by its own credentials. `g` outlives a request when an app
        context was already pushed (tests, code run from the CLI), and Flask-Login caches the
        user there, and Flask-WTF the CSRF token of whichever browser asked first."""
        g.pop("_login_user", None)
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)

    @app.before_request
    def refuse_nul_characters() -> None:
        """No database stores a NUL character in text; refuse it at the door, clearly."""
        if any("\x00" in v for v in request.values.values()) or "\x00" in request.path:
            abort(400, "The request contains a NUL character, which text may not contain.")

    @app.before_request
    def csrf_unless_bearer() -> None:
        """Forms and htmx requests carry a CSRF token; bearer-token API calls carry no cookie,
        so they cannot be forged cross-site and need none."""
        if request.method in ("GET", "HEAD", "OPTIONS") or not app.config["WTF_CSRF_ENABLED"]:
            return
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return
        if request.endpoint in SIGNED_LINK_ENDPOINTS:
            return  # RFC 8058 one-click: the signed token in the URL is the only credential
        if request.path.startswith("/api/") and not _cookie_signed_in():
            return  # no session to ride on: nothing for a forged request to borrow
        csrf.protect()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.blueprint != "static" and request.endpoint != "static":
            # Unpublished negotiating text must not linger in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _cookie_signed_in() -> bool:
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" in session or remember in request.cookies


def credentials_checked(email: str, password: str) -> User | None:
    """The throttled password check shared by the login form and POST /api/v1/auth/token."""
    from redline.services import accounts, sign_in  # services import this module

    pair_limit = current_app.config["LOGIN_MAX_FAILURES"]
    return sign_in.authenticate(
        db.session,
        email,
        password,
        client=request.remote_addr or "unknown",
        pair_limit=pair_limit,
        client_limit=current_app.config.get("LOGIN_MAX_CLIENT_FAILURES", 3 * pair_limit),
        window_seconds=current_app.config["LOGIN_FAILURE_WINDOW"],
        hash_method=accounts.HASH_METHOD,
    )


def role_required(rule: Callable[[User], bool] | None = None) -> Callable:
    """Allow the view only to signed-in, active users for whom `rule` (a predicate of
    redline.services.policy, such as `policy.drafts`) holds; any signed-in user if None.

    Anonymous users are sent to the login page (401 for the API); others get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(
                        401,
                        "Sign in first: send Authorization: Bearer <token> "
                        "(see POST /api/v1/auth/token).",
                    )
                return login_manager.unauthorized()
            if rule is not None and not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
