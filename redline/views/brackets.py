"""The bracket report of an instrument between two meetings: a page, CSV and Word."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from redline.domain.export import bracket_report as export
from redline.extensions import db
from redline.security import role_required
from redline.services import access, brackets
from redline.web.params import arg_id
from redline.web.rendering import page_or_fragment

bp = Blueprint("brackets", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(iid: int):
    instrument = access.instrument_for(db.session, current_user, iid)
    report = brackets.report(db.session, current_user, iid, arg_id("from"), arg_id("to"))
    return instrument, report


@bp.get("/instruments/<int:iid>/brackets")
@role_required()
def report(iid: int):
    """Per provision: brackets opened, closed (kept or dropped) and still open."""
    instrument, found = _report(iid)
    return page_or_fragment(
        "brackets/report.html",
        "report",
        instrument=instrument,
        report=found,
        meetings=access.visible_meetings(db.session, current_user, iid),
    )


def _download(found, ext: str, body: str | bytes, mimetype: str) -> Response:
    # Ids only in the name: no meeting title can reach the header.
    ends = "-".join(str(m.id) for m in (found.from_meeting, found.to_meeting) if m)
    name = f"brackets_{ends or 'none'}.{ext}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/instruments/<int:iid>/brackets.csv")
@role_required()
def report_csv(iid: int):
    """One row per bracketed passage (UTF-8 with a byte order mark, for spreadsheets)."""
    instrument, found = _report(iid)
    body = "\ufeff" + export.to_csv(brackets.sheet(found, instrument.title))
    return _download(found, "csv", body, "text/csv")


@bp.get("/instruments/<int:iid>/brackets.docx")
@role_required()
def report_docx(iid: int):
    """The report as a clean Word document."""
    instrument, found = _report(iid)
    data = export.to_docx(brackets.sheet(found, instrument.title))
    return _download(found, "docx", data, DOCX)
