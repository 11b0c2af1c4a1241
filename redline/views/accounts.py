"""Account management for the secretariat."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import CATEGORIES, ROLES
from redline.security import role_required
from redline.services import accounts, policy, sign_in
from redline.services.errors import BadInput
from redline.web.browser_session import remembered, sign_in_browser
from redline.web.failures import flash_and_redirect, refused_with

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("/")
@role_required(policy.manages)
def index():
    """List every account with its role and state."""
    return _page()


def _page(**extra):
    return render_template(
        "accounts/index.html",
        users=accounts.all_users(db.session),
        roles=ROLES,
        categories=CATEGORIES,
        sessions=sign_in.count_sessions(db.session),
        **extra,
    )


@bp.post("/")
@role_required(policy.manages)
def create():
    """Create an account from the form."""
    f = request.form
    with refused_with(lambda e: (_page(error=e.message, form=f), e.status)):
        user = accounts.create_user(
            db.session,
            email=f.get("email", ""),
            name=f.get("name", ""),
            role=f.get("role", ""),
            category=f.get("category") or None,
            organisation=f.get("organisation") or None,
            password=f.get("password", ""),
            actor=current_user,
        )
    db.session.commit()
    flash(f"Account created for {user.email}.", "success")
    return redirect(url_for("accounts.index"))


@bp.post("/<int:user_id>/active")
@role_required(policy.manages)
def set_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = accounts.get_user(db.session, user_id)
    choice = request.form.get("active")
    if choice not in ("0", "1"):
        raise BadInput("Say whether the account is to be active (1) or deactivated (0).")
    accounts.set_active(db.session, user, choice == "1", current_user)
    db.session.commit()
    flash(f"{user.email} is now {'active' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("accounts.index"))


@bp.post("/<int:user_id>/password")
@role_required(policy.manages)
def reset_password(user_id: int):
    """Set a new password for an account."""
    user = accounts.get_user(db.session, user_id)
    with refused_with(flash_and_redirect("accounts.index")):
        accounts.reset_password(db.session, user, request.form.get("password", ""), current_user)
    db.session.commit()
    if user.id == current_user.id:  # keep the browser the reset came from signed in
        sign_in_browser(user, remember=remembered())
    flash(
        f"Password reset for {user.email}; their sessions ended and API tokens were revoked.",
        "success",
    )
    return redirect(url_for("accounts.index"))


@bp.post("/<int:user_id>/sessions/end")
@role_required(policy.manages)
def end_sessions(user_id: int):
    """Sign a person out in every browser (remember-me included)."""
    user = accounts.get_user(db.session, user_id)
    n = accounts.end_sessions(db.session, user, current_user)
    db.session.commit()
    if user.id == current_user.id:
        flash("You ended all your sessions, this one included.", "info")
        return redirect(url_for("auth.login"))
    flash(f"{n} session(s) of {user.email} ended.", "success")
    return redirect(url_for("accounts.index"))


@bp.post("/<int:user_id>/tokens/revoke")
@role_required(policy.manages)
def revoke_tokens(user_id: int):
    """Revoke every API token of an account."""
    user = accounts.get_user(db.session, user_id)
    n = accounts.revoke_tokens(db.session, user, current_user)
    db.session.commit()
    flash(f"{n} API token(s) of {user.email} revoked.", "success")
    return redirect(url_for("accounts.index"))
