"""One provision: its text, its history."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from redline.extensions import db
from redline.security import role_required
from redline.services import access, policy, texts
from redline.services.meetings import newest_open_meeting
from redline.web.rendering import page_or_fragment

bp = Blueprint("provisions", __name__, url_prefix="/provisions")


@bp.get("/<int:pid>")
@role_required()
def show(pid: int):
    """A provision's current text and every version of it."""
    provision = access.provision_for(db.session, current_user, pid)
    history = access.visible_versions(db.session, current_user, provision)
    current = access.default_version(history)
    open_meeting = newest_open_meeting(db.session, provision.instrument_id)
    editable = policy.may_edit(current_user, open_meeting)
    # The whole current text is only for the "move after" list, which only editors see.
    order = texts.versions_as_of(db.session, open_meeting) if editable else []
    return page_or_fragment(
        "provisions/show.html",
        "history",
        order=order,
        provision=provision,
        instrument=provision.instrument,
        history=history,
        version=current,
        open_meeting=open_meeting,
        editable=editable,
    )
