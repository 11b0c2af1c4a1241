"""One provision: its text, its history."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from redline.extensions import db
from redline.security import role_required
from redline.services import access, passage_history, policy, texts
from redline.services.meetings import newest_open_meeting
from redline.web.params import arg_id
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


@bp.get("/<int:pid>/history")
@role_required()
def passage(pid: int):
    """Which meeting wrote each word of a version: the whole provision, and the passage
    selected on the provision page (?start=&end=, code point offsets) word by word."""
    provision = access.provision_for(db.session, current_user, pid)
    version = access.version_to_show(db.session, current_user, provision, arg_id("version"))
    history = passage_history.history_of(db.session, current_user, version)
    start, end = arg_id("start"), arg_id("end")
    picked = passage_history.passage(history, start, end) if (start, end) != (None, None) else None
    pieces = passage_history.pieces(history)
    # Render before committing: a commit expires the loaded meetings and authors.
    page = render_template(
        "provisions/history.html",
        provision=provision,
        instrument=provision.instrument,
        history=history,
        pieces=pieces,
        picked=picked,
        legend=passage_history.legend(history),
        sees_record=policy.sees_drafting_record(current_user),
    )
    db.session.commit()  # the cache row, for the next reader
    return page
