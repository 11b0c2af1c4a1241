"""Instruments: the list, creating one (the secretariat), the text as of a meeting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import utcnow
from redline.security import role_required
from redline.services import access, consultations, live, meetings, outline, policy, presence, texts
from redline.services.meetings import newest_open_meeting
from redline.web.failures import flash_and_redirect, refused_with
from redline.web.params import arg_id, parse_id

bp = Blueprint("instruments", __name__)


@bp.get("/")
def home():
    """Send people to the instrument list (or to sign in)."""
    return redirect(url_for("instruments.index"))


@bp.get("/instruments")
@role_required()
def index():
    """List the instruments this person may read."""
    instruments = access.visible_instruments(db.session, current_user)
    shown = access.meetings_shown(db.session, current_user, instruments)
    return render_template("instruments/index.html", instruments=instruments, shown=shown)


@bp.post("/instruments")
@role_required(policy.manages)
def create():
    """Create an instrument."""
    f = request.form
    with refused_with(flash_and_redirect("instruments.index")):
        instrument = meetings.create_instrument(
            db.session,
            slug=f.get("slug", ""),
            title=f.get("title", ""),
            description=f.get("description", ""),
            actor=current_user,
        )
    db.session.commit()
    flash(f"{instrument.title} created. Add its first meeting or import a draft.", "success")
    return redirect(url_for("meetings.timeline", iid=instrument.id))


def _meeting_shown(iid: int, visible: list):
    """The ?meeting= asked for (checked), or the latest this person may see (None if none)."""
    meeting_id = arg_id("meeting")
    if meeting_id is not None:
        return access.meeting_for(db.session, current_user, meeting_id, iid)
    return visible[-1] if visible else None


@bp.get("/instruments/<int:iid>")
@role_required()
def show(iid: int):
    """The whole instrument as it stood at a meeting (default: the latest visible one)."""
    instrument = access.instrument_for(db.session, current_user, iid)
    visible = access.visible_meetings(db.session, current_user, iid)
    meeting = _meeting_shown(iid, visible)
    versions = texts.versions_as_of(db.session, meeting) if meeting else []
    open_meeting = newest_open_meeting(db.session, iid)
    return render_template(
        "instruments/show.html",
        instrument=instrument,
        meetings=visible,
        meeting=meeting,
        versions=versions,
        outline=outline.of_text(db.session, current_user, meeting, versions, visible)
        if meeting
        else [],
        open_meeting=open_meeting,
        publications=_publications(meeting),
        editing=presence.editing(db.session, current_user, [v.provision_id for v in versions]),
        stamp=live.stamp(db.session, current_user, meeting) if meeting else "",
        editable=policy.may_edit(current_user, open_meeting) and meeting == open_meeting,
    )


@bp.get("/instruments/<int:iid>/live")
@role_required()
def live_update(iid: int):
    """The page's poll: 204 when nothing moved; else the provisions again (out of band, but not
    those being edited in this browser) and a sentence for the aria-live region."""
    access.instrument_for(db.session, current_user, iid)
    meeting = access.meeting_for(db.session, current_user, arg_id("meeting") or 0, iid)
    since = request.args.get("stamp", "")[:100]
    editing_here = [parse_id(raw, "editing") or 0 for raw in request.args.getlist("editing")]
    found = live.changes(db.session, current_user, meeting, since, editing_here)
    if found is None:
        return "", 204
    open_meeting = newest_open_meeting(db.session, iid)
    return render_template(
        "instruments/_live.html",
        instrument=meeting.instrument,
        meeting=meeting,
        found=found,
        stamp=found.stamp,
        editing=found.editing,
        editable=policy.may_edit(current_user, open_meeting) and meeting == open_meeting,
    )


def _publications(meeting) -> list:
    """The consultations that published this meeting's text, each with its window: for a
    stakeholder their category's (they must know until when they may comment), for the drafting
    side the general one (so drafters learn that the text is out for comment)."""
    if meeting is None:
        return []
    now = utcnow()
    category = current_user.category if policy.is_stakeholder(current_user) else None
    return [
        (c, consultations.window(c, category, now))
        for c in consultations.consultations_of(db.session, current_user, meeting.instrument_id)
        if c.meeting_id == meeting.id
    ]
