"""What a person was told (the notifications page), how they want to be told (preferences),
and one-click unsubscribe from a mail (RFC 8058: the signed token is the only credential)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import DELIVERIES, NOTIFICATION_KIND_LABELS
from redline.security import role_required
from redline.services import notifications
from redline.web.failures import flash_and_redirect, refused_with
from redline.web.params import arg_id, form_id

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@role_required()
def index():
    """Newest first; unread ones marked (in words, not colour alone)."""
    items = notifications.listing(db.session, current_user.id, before=arg_id("before"))
    return render_template(
        "notifications/index.html", items=items, more=len(items) == notifications.PAGE_SIZE
    )


@bp.post("/read")
@role_required()
def read():
    """Mark one notification (form field `id`) or all of them read."""
    notifications.mark_read(db.session, current_user.id, form_id("id"))
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.get("/preferences")
@role_required()
def preferences():
    return render_template(
        "notifications/preferences.html",
        chosen=notifications.preferences(db.session, current_user.id),
        labels=NOTIFICATION_KIND_LABELS,
        deliveries=DELIVERIES,
    )


@bp.post("/preferences")
@role_required()
def save_preferences():
    with refused_with(flash_and_redirect("notifications.preferences")):
        notifications.set_preferences(db.session, current_user.id, request.form)
    db.session.commit()
    flash("Your choices are saved.", "success")
    return redirect(url_for("notifications.preferences"))


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The link in a mail's text: a button, so mail scanners following links change nothing."""
    return render_template("notifications/unsubscribe.html", token=token, done=None)


@bp.post("/unsubscribe/<token>")
def unsubscribe(token: str):
    """One-click unsubscribe (RFC 8058): no session and no CSRF token, the signed token alone."""
    _user, kinds = notifications.unsubscribe(db.session, token)
    db.session.commit()
    done = [NOTIFICATION_KIND_LABELS[k] for k in kinds]
    return render_template("notifications/unsubscribe.html", token=token, done=done)
