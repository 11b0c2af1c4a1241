"""Passwords by e-mail: "Forgot your password?", and the links of reset and invitation mails."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from redline.extensions import db
from redline.services import password_reset
from redline.services.errors import ServiceError
from redline.web.failures import refused_with

bp = Blueprint("password_links", __name__, url_prefix="/auth")

PAGES = {"invitation": "auth/welcome.html", "password_reset": "auth/reset.html"}


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link. The answer is the same whether or not the address has an account,
    so the form reveals nobody's membership."""
    if request.method != "POST":
        return render_template("auth/forgot.html", sent=False)
    with refused_with(lambda e: (render_template("auth/forgot.html", error=e.message), e.status)):
        password_reset.request_reset(db.session, request.form.get("email", ""))
    db.session.commit()
    return render_template("auth/forgot.html", sent=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password from a reset link."""
    return _set_password(token, "password_reset")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """Choose one's first password from an invitation link."""
    return _set_password(token, "invitation")


def _set_password(token: str, purpose: str):
    def refused(error: ServiceError):
        return render_template(PAGES[purpose], token=token, error=error.message, user=None), 400

    with refused_with(refused):
        user = password_reset.check_link(db.session, token, purpose)
    if request.method != "POST":
        return render_template(PAGES[purpose], token=token, error=None, user=user)
    with refused_with(
        lambda e: (render_template(PAGES[purpose], token=token, error=e.message, user=user), 400)
    ):
        password_reset.set_password_from_link(
            db.session, token, purpose, request.form.get("new_password", "")
        )
        db.session.commit()
    flash("Your password is set. Sign in with it now.", "success")
    return redirect(url_for("auth.login"))
