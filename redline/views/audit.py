"""The audit trail, for the secretariat."""

from __future__ import annotations

from flask import Blueprint, render_template

from redline.extensions import db
from redline.security import role_required
from redline.services import audit, meetings, policy
from redline.web.params import arg_id

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@role_required(policy.manages)
def index():
    """Every write, newest first, optionally for one instrument; paged by id."""
    instrument_id = arg_id("instrument")
    page = audit.trail(db.session, instrument_id, before=arg_id("before"))
    return render_template(
        "audit/index.html",
        events=page.events,
        more=page.more,
        instruments=meetings.all_instruments(db.session),
        instrument_id=instrument_id,
    )
