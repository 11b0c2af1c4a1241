"""The open editor's heartbeat: "I am editing this provision" (see services.presence)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from redline.extensions import db
from redline.security import role_required
from redline.services import policy, presence

bp = Blueprint("presence", __name__, url_prefix="/provisions")


@bp.post("/<int:pid>/presence")
@role_required(policy.shows_presence)
def heartbeat(pid: int):
    """Sent by the editor on load and every PRESENCE_HEARTBEAT seconds (htmx, CSRF header)."""
    presence.heartbeat(db.session, current_user, pid)
    db.session.commit()
    return "", 204
