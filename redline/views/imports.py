"""Importing a draft in the browser: upload, preview the matches, correct the split, confirm.

The preview is stateless: the file (base64), the tracked-changes choice and the corrections
to the split travel in the form, so every correction re-reads the file and re-renders the
preview (an htmx swap of the preview, or the whole page without JavaScript)."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.dates import DateError, parse_day
from redline.domain.drafts.corrections import (
    MAX_FIELD,
    CorrectionError,
    format_corrections,
    parse_corrections,
)
from redline.domain.drafts.reading import ParsedDraft, draft_paragraphs
from redline.extensions import db
from redline.models import MEETING_KINDS
from redline.security import role_required
from redline.services import imports, meetings, policy, uploads
from redline.services.errors import BadInput, ServiceError
from redline.web.failures import refused_with
from redline.web.rendering import page_or_fragment, wants_fragment

bp = Blueprint("imports", __name__, url_prefix="/instruments/<int:iid>/import")

MAX_FILENAME = 255


def _form_date() -> date:
    try:
        return parse_day(request.form.get("date", ""), "The meeting date")
    except DateError as e:
        raise BadInput(str(e)) from None


def _upload() -> tuple[str, bytes]:
    """The file from the upload field, or (after the first preview) the same bytes carried by
    the preview form."""
    if "file" in request.files and request.files["file"].filename:
        f = request.files["file"]
        try:
            filename, data = f.filename or "draft.txt", f.read()
        finally:
            f.close()  # a large upload is spooled to a temporary file: do not leak it
    else:
        carried = request.form.get("payload", "")
        filename = request.form.get("filename", "draft.txt")
        try:
            data = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            raise BadInput("The preview was damaged; upload the file again.") from None
    if len(filename) > MAX_FILENAME:
        raise BadInput(f"The file name is longer than {MAX_FILENAME} characters.")
    if not data:
        raise BadInput("Choose a .txt, .md or .docx file to import.")
    return filename, data


def _corrections(count: int) -> str:
    """The corrections carried by the form, with the one just asked for (a `correct` button)
    added or (an `undo` button) removed. Anything the preview could not have sent is a 400."""
    raw = request.form.get("corrections", "")
    wanted = request.form.get("correct", "").strip()
    undo = request.form.get("undo", "").strip()
    if undo == "all":
        return ""  # also sent when the tracked-changes choice changes the paragraphs
    if not (wanted or undo):
        return raw
    try:
        items = list(parse_corrections(f"{raw} {wanted}", count))
        if undo:
            gone = parse_corrections(undo, count)
            items = [c for c in items if c not in gone]
    except CorrectionError as e:
        raise BadInput(str(e)) from None
    return format_corrections(items)


def _tracked_choice() -> str:
    """Which text of a Word file with tracked changes to read: the one previewed (`tracked`),
    or on "Show this text" the one just chosen (`tracked_choice`). Recording a text that was
    chosen but never previewed is refused: the secretariat must see what it records."""
    previewed = request.form.get("tracked", "accept")
    chosen = request.form.get("tracked_choice", previewed)
    if request.form.get("undo") == "all":
        return chosen
    if chosen != previewed and request.endpoint == "imports.confirm":
        raise BadInput(
            "You chose another text for the tracked changes than the one previewed: press "
            "'Show this text' to preview it before recording it."
        )
    return previewed


def _read(filename: str, data: bytes) -> ParsedDraft:
    """The draft with the form's tracked-changes choice and corrections applied."""
    # Bound the form's fields before reading the file (the expensive part).
    if len(request.form.get("corrections", "")) > MAX_FIELD:
        raise BadInput("Too many corrections: start again from the upload.")
    if len(request.form.get("correct", "")) > 32 or len(request.form.get("undo", "")) > 32:
        raise BadInput("The corrections to the split were damaged; start again from the upload.")
    draft = uploads.read_upload(filename, data, _tracked_choice())
    raw = _corrections(len(draft_paragraphs(draft)))
    return uploads.correct_draft(draft, raw, current_app.config["MAX_TEXT_CHARS"])


def _meeting_fields() -> tuple[str, date, str]:
    title = request.form.get("title", "").strip()
    if not title:
        raise BadInput("Give the meeting a title, e.g. '5th Drafting Plenary'.")
    if len(title) > 200:
        raise BadInput("The meeting title is longer than 200 characters.")
    return title, _form_date(), request.form.get("kind", "plenary")


def _form(instrument, **context):
    return render_template(
        "imports/form.html",
        instrument=instrument,
        kinds=MEETING_KINDS,
        form=request.form,
        **context,
    )


def _refused(instrument, error: ServiceError):
    """A refused preview, correction or import: the error, nothing recorded. An htmx correction
    keeps the preview on screen and shows the message in it."""
    if wants_fragment():
        return render_template("imports/_error.html", error=error.message), error.status
    return _form(instrument, error=error.message), error.status


@bp.get("/")
@role_required(policy.manages)
def form(iid: int):
    """The upload form."""
    return _form(meetings.get_instrument(db.session, iid))


@bp.post("/")
@role_required(policy.manages)
def preview(iid: int):
    """Parse the upload and show how each provision matches the current text, with the
    corrections to the split applied; nothing is recorded here."""
    if request.form.get("confirm") == "1":
        # The confirmation form of earlier versions posted here: the browser posts it again,
        # with its fields, to the confirm route (307 keeps the method and the body).
        return redirect(url_for("imports.confirm", iid=iid), code=307)
    instrument = meetings.get_instrument(db.session, iid)
    with refused_with(partial(_refused, instrument)):
        filename, data = _upload()
        draft = _read(filename, data)
        _meeting_fields()
        plan = imports.plan_import(db.session, instrument, draft)
    return _preview_page(instrument, plan, filename, data, draft)


def _preview_page(instrument, plan, filename: str, data: bytes, draft: ParsedDraft):
    """The preview, whole or (a correction by htmx) the preview part; the file travels on in
    the form, base64-encoded."""
    return page_or_fragment(
        "imports/preview.html",
        "preview",
        instrument=instrument,
        plan=plan,
        filename=filename,
        payload=base64.b64encode(data).decode("ascii"),
        form=request.form,
        corrections=format_corrections(draft.corrections),
        described=uploads.corrections_in_words(draft),
        paragraphs=draft_paragraphs(draft),
        starts=_provision_starts(draft),
        word=draft.word,
        tracked=_tracked_choice(),
    )


@bp.post("/confirm")
@role_required(policy.manages)
def confirm(iid: int):
    """Record the previewed draft, with its corrections, as the meeting's text."""
    instrument = meetings.get_instrument(db.session, iid)
    with refused_with(lambda e: (_form(instrument, error=e.message), e.status)):
        draft = _read(*_upload())
        title, on, kind = _meeting_fields()
        result = imports.apply_import(
            db.session,
            instrument=instrument,
            slug=instrument.slug,
            title=None,
            meeting_title=title,
            on=on,
            kind=kind,
            draft=draft,
            actor=current_user,
            closed=request.form.get("closed") == "1",
            expected_fingerprint=request.form.get("fingerprint"),
        )
        imports.record_corrections(db.session, result, draft)
        db.session.commit()
    flash(_imported(title, result, draft), "success")
    return redirect(url_for("instruments.show", iid=iid, meeting=result.meeting.id))


def _imported(title: str, result, draft: ParsedDraft) -> str:
    """What the import did, in one message."""
    c = result.counts
    message = (
        f"Imported '{title}': {c['added']} added, {c['changed']} changed, "
        f"{c['unchanged']} unchanged, {c['removed']} removed."
    )
    if draft.corrections:
        message += f" {len(draft.corrections)} corrections to the split were recorded."
    if c.get("word_comments"):  # counted by apply_import when it imports a file's comments
        message += f" {c['word_comments']} Word comments were imported as internal comments."
    not_carried = draft.word.not_carried if draft.word else {}
    if not_carried:
        listed = ", ".join(f"{n} {what}" for what, n in sorted(not_carried.items()))
        message += f" Not carried from the Word file: {listed}."
    return message


def _provision_starts(draft: ParsedDraft) -> dict[int, int]:
    """Paragraph index -> provision index, for the paragraphs that open a provision."""
    starts: dict[int, int] = {}
    at = 0
    for n, provision in enumerate(draft.provisions):
        starts[at] = n
        at += len(provision.source_paragraphs())
    return starts
