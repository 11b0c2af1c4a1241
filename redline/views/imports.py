"""Importing a draft in the browser: upload, preview the matches, confirm."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.dates import DateError, parse_day
from redline.extensions import db
from redline.models import MEETING_KINDS
from redline.security import role_required
from redline.services import imports, meetings
from redline.services.errors import BadInput, ServiceError

bp = Blueprint("imports", __name__, url_prefix="/instruments/<int:iid>/import")


def _form_date() -> date:
    try:
        return parse_day(request.form.get("date", ""), "The meeting date")
    except DateError as e:
        raise BadInput(str(e)) from None


def _upload() -> tuple[str, bytes]:
    """The file from the upload field, or (on confirm) the same bytes carried by the preview."""
    if "file" in request.files and request.files["file"].filename:
        f = request.files["file"]
        return f.filename or "draft.txt", f.read()
    carried = request.form.get("payload", "")
    try:
        return request.form.get("filename", "draft.txt"), base64.b64decode(carried, validate=True)
    except (binascii.Error, ValueError):
        raise BadInput("The preview was damaged; upload the file again.") from None


def _form(instrument, **context):
    return render_template(
        "imports/form.html",
        instrument=instrument,
        kinds=MEETING_KINDS,
        form=request.form,
        **context,
    )


@bp.get("/")
@role_required("secretariat")
def form(iid: int):
    """The upload form."""
    return _form(meetings.get_instrument(db.session, iid))


@bp.post("/")
@role_required("secretariat")
def preview(iid: int):
    """Parse the upload and show how each provision matches the current text; confirm to
    record it (the file travels back in the form, so no server-side state is kept)."""
    instrument = meetings.get_instrument(db.session, iid)
    try:
        filename, data = _upload()
        if not data:
            raise BadInput("Choose a .txt, .md or .docx file to import.")
        draft = imports.parse_upload(filename, data, current_app.config["MAX_TEXT_CHARS"])
        on = _form_date()
        title = request.form.get("title", "").strip()
        if not title:
            raise BadInput("Give the meeting a title, e.g. '5th Drafting Plenary'.")
        if request.form.get("confirm") == "1":
            result = imports.apply_import(
                db.session,
                instrument=instrument,
                slug=instrument.slug,
                title=None,
                meeting_title=title,
                on=on,
                kind=request.form.get("kind", "plenary"),
                draft=draft,
                actor=current_user,
                closed=request.form.get("closed") == "1",
                expected_fingerprint=request.form.get("fingerprint"),
            )
            db.session.commit()
            c = result.counts
            flash(
                f"Imported '{title}': {c['added']} added, {c['changed']} changed, "
                f"{c['unchanged']} unchanged, {c['removed']} removed.",
                "success",
            )
            return redirect(url_for("instruments.show", iid=iid, meeting=result.meeting.id))
        plan = imports.plan_import(db.session, instrument, draft)
    except ServiceError as e:
        db.session.rollback()
        return _form(instrument, error=e.message), e.status
    return render_template(
        "imports/preview.html",
        instrument=instrument,
        plan=plan,
        filename=filename,
        payload=base64.b64encode(data).decode("ascii"),
        form=request.form,
    )
