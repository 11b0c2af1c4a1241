"""The audit trail, for the secretariat."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from sqlalchemy.orm import joinedload

from redline.extensions import db
from redline.models import AuditEvent, Instrument
from redline.security import role_required
from redline.web.params import arg_id

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE = 100


@bp.get("/")
@role_required("secretariat")
def index():
    """Every write, newest first, optionally for one instrument; paged by id."""
    stmt = (
        sa.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    )
    instrument_id = arg_id("instrument")
    before = arg_id("before")
    if instrument_id is not None:
        stmt = stmt.where(AuditEvent.instrument_id == instrument_id)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    events = list(db.session.scalars(stmt.limit(PAGE + 1)))
    more = len(events) > PAGE
    instruments = db.session.scalars(sa.select(Instrument).order_by(Instrument.title)).all()
    return render_template(
        "audit/index.html",
        events=events[:PAGE],
        more=more,
        instruments=instruments,
        instrument_id=instrument_id,
    )
