"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from redline.extensions import db
from redline.security import credentials_checked
from redline.services import accounts, sign_in
from redline.services.errors import ServiceError
from redline.web.browser_session import remembered, sign_in_browser
from redline.web.failures import refused_with
from redline.web.params import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign in with e-mail and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error = None
    status = 200
    if request.method == "POST":
        email = request.form.get("email", "")
        user = credentials_checked(email, request.form.get("password", ""))
        if user is not None:
            sign_in_browser(user, remember=request.form.get("remember") == "on")
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
        error = "Wrong e-mail or password, or the account is deactivated."
        status = 401
    return render_template("auth/login.html", error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so a link on another site cannot sign anyone out). The session ends on the
    server too: a copy of the cookie signs nobody in afterwards."""
    sign_in.end_session(db.session, current_user)
    db.session.commit()
    logout_user()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password: every other browser and every API token is signed out; this
    browser stays signed in on a new session."""
    if request.method != "POST":
        return render_template("auth/password.html", error=None)
    user = current_user._get_current_object()
    current = request.form.get("current_password", "")
    # The current password is checked like a sign-in (throttled, failures counted), so a
    # borrowed session cannot guess it at speed and lock the owner out.
    if credentials_checked(user.email, current) is None:
        return render_template("auth/password.html", error="The current password is wrong."), 400
    with refused_with(_password_refused):
        accounts.change_own_password(
            db.session, user, current, request.form.get("new_password", "")
        )
    sign_in_browser(user, remember=remembered())
    flash("Password changed. Your other browsers and API tokens are signed out.", "success")
    return redirect(url_for("auth.change_password"))


def _password_refused(error: ServiceError):
    """The form again, saying why the new password was refused."""
    return render_template("auth/password.html", error=error.message), error.status
