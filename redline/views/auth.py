"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from redline.extensions import db
from redline.services import accounts
from redline.views.params import safe_next

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
        user = accounts.authenticate(
            db.session,
            email,
            request.form.get("password", ""),
            client=request.remote_addr or "unknown",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window_seconds=current_app.config["LOGIN_FAILURE_WINDOW"],
        )
        if user is not None:
            login_user(user, remember=request.form.get("remember") == "on")
            db.session.commit()
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
        error = "Wrong e-mail or password, or the account is deactivated."
        status = 401
    return render_template("auth/login.html", error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so a link on another site cannot sign anyone out)."""
    logout_user()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
