"""The meeting timeline of an instrument: listing, adding and closing meetings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.dates import DateError, parse_day
from redline.extensions import db
from redline.models import MEETING_KINDS
from redline.security import role_required
from redline.services import access, meetings, policy
from redline.services.errors import BadInput
from redline.web.failures import flash_and_redirect, refused_with

bp = Blueprint("meetings", __name__)


def _date(name: str, required: bool = True) -> date | None:
    raw = request.form.get(name, "").strip()
    if not raw and not required:
        return None
    try:
        return parse_day(raw, f"'{name.replace('_', ' ')}'")
    except DateError as e:
        raise BadInput(str(e)) from None


@bp.get("/instruments/<int:iid>/meetings")
@role_required()
def timeline(iid: int):
    """The meetings of an instrument in chronological order."""
    instrument = access.instrument_for(db.session, current_user, iid)
    return render_template(
        "instruments/meetings.html",
        instrument=instrument,
        meetings=access.visible_meetings(db.session, current_user, iid),
        kinds=MEETING_KINDS,
    )


@bp.post("/instruments/<int:iid>/meetings")
@role_required(policy.manages)
def create_meeting(iid: int):
    """Add a meeting to the timeline."""
    instrument = meetings.get_instrument(db.session, iid)
    f = request.form
    with refused_with(flash_and_redirect("meetings.timeline", iid=iid)):
        meeting = meetings.create_meeting(
            db.session,
            instrument,
            title=f.get("title", ""),
            kind=f.get("kind", ""),
            on=_date("date"),
            end=_date("end_date", required=False),
            actor=current_user,
        )
    db.session.commit()
    flash(f"Meeting '{meeting.title}' created.", "success")
    return redirect(url_for("meetings.timeline", iid=iid))


@bp.post("/meetings/<int:mid>/close")
@role_required(policy.manages)
def close(mid: int):
    """Close a meeting (and every earlier one): its text is frozen for good."""
    meeting = meetings.get_meeting(db.session, mid)
    closed = meetings.close_meeting(db.session, meeting, current_user)
    db.session.commit()
    flash(f"Closed: {', '.join(m.title for m in closed) or 'nothing (already closed)'}.", "success")
    return redirect(url_for("meetings.timeline", iid=meeting.instrument_id))
