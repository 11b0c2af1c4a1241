"""Consultations in the browser: the list per instrument, publishing a meeting's text (the
secretariat), a consultation's page with its window, and the compilation of comments received
(web page, CSV, Word): for the drafting side, and for everyone in the consultation once the
secretariat has published its outcome."""

from __future__ import annotations

import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.export.compilation import to_csv, to_docx
from redline.extensions import db
from redline.models import CATEGORIES, utcnow
from redline.security import role_required
from redline.services import access, comment_threads, compilation, consultations, policy
from redline.web.failures import flash_and_redirect, refused_with
from redline.web.params import form_id

bp = Blueprint("consultations", __name__)


@bp.get("/instruments/<int:iid>/consultations")
@role_required()
def index(iid: int):
    """The consultations on an instrument (and, for the secretariat, the form to publish)."""
    instrument = access.instrument_for(db.session, current_user, iid)
    now = utcnow()
    items = [
        (c, consultations.window(c, current_user.category, now))
        for c in consultations.consultations_of(db.session, current_user, iid)
    ]
    return render_template(
        "consultations/index.html",
        instrument=instrument,
        items=items,
        meetings=access.visible_meetings(db.session, current_user, iid),
        categories=CATEGORIES,
        form=request.args,
    )


@bp.post("/instruments/<int:iid>/consultations")
@role_required(policy.manages)
def create(iid: int):
    """Publish a meeting's text for comment within a window (per-category deadlines allowed)."""
    instrument = access.instrument_for(db.session, current_user, iid)
    f = request.form
    with refused_with(flash_and_redirect("consultations.index", iid=iid)):
        consultation = consultations.create_consultation(
            db.session,
            instrument=instrument,
            meeting_id=form_id("meeting_id") or 0,
            title=f.get("title", ""),
            opens_at=consultations.parse_when(f.get("opens"), "Opens"),
            closes_at=consultations.parse_when(f.get("closes"), "Closes"),
            deadlines=_deadlines(f),
            comments_visible=f.get("comments_visible") == "1",
            actor=current_user,
        )
    db.session.commit()
    flash(
        f"Consultation '{consultation.title}' created. '{consultation.meeting.title}' is now "
        "closed, so the published text stays as published; create the next meeting to go on "
        "drafting.",
        "success",
    )
    return redirect(url_for("consultations.show", cid=consultation.id))


@bp.get("/consultations/<int:cid>")
@role_required()
def show(cid: int):
    """The published text, with the window as it stands for this person's category."""
    consultation = consultations.consultation_for(db.session, current_user, cid)
    text = consultations.published_versions(db.session, consultation)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        instrument=consultation.instrument,
        text=text,
        counts=comment_threads.thread_counts(db.session, current_user, text),
        windows=_windows(consultation),
    )


def _deadlines(form) -> dict:
    """The per-category deadlines filled in on the form (category -> when)."""
    return {
        cat: consultations.parse_when(form[f"deadline_{cat}"], f"The deadline for {cat}")
        for cat in CATEGORIES
        if form.get(f"deadline_{cat}", "").strip()
    }


def _windows(consultation) -> list:
    """The windows shown: a stakeholder's own category; the drafting side sees them all."""
    now = utcnow()
    return (
        [consultations.window(consultation, current_user.category, now)]
        if policy.is_stakeholder(current_user)
        else [consultations.window(consultation, None, now)]
        + [consultations.window(consultation, d.category, now) for d in consultation.deadlines]
    )


@bp.post("/consultations/<int:cid>/outcome")
@role_required(policy.manages)
def publish_outcome(cid: int):
    """Publish the outcome: the compilation with dispositions and reasons, for everyone in it."""
    consultation = consultations.consultation_for(db.session, current_user, cid)
    with refused_with(flash_and_redirect("consultations.show", cid=cid)):
        consultations.publish_outcome(db.session, consultation, current_user)
    db.session.commit()
    flash(
        "Outcome published: everyone in the consultation can now read the compilation, and "
        "each stakeholder sees the disposition and reason on their comments.",
        "success",
    )
    return redirect(url_for("consultations.compilation_page", cid=cid))


def _compiled(cid: int):
    consultation = consultations.compilation_for(db.session, current_user, cid)
    return consultation, compilation.build(db.session, consultation, current_user)


def _filename(consultation, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", consultation.title.lower()).strip("-")[:60] or "comments"
    return f"compilation-{consultation.id}-{slug}.{ext}"


@bp.get("/consultations/<int:cid>/compilation")
@role_required()
def compilation_page(cid: int):
    """All comments received, by provision and stakeholder category, with dispositions."""
    consultation, compiled = _compiled(cid)
    return render_template(
        "consultations/compilation.html", consultation=consultation, compiled=compiled
    )


@bp.get("/consultations/<int:cid>/compilation.csv")
@role_required()
def compilation_csv(cid: int):
    """The compilation as CSV (UTF-8 with BOM, so spreadsheets read the accents)."""
    consultation, compiled = _compiled(cid)
    return Response(
        "\ufeff" + to_csv(compiled),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_filename(consultation, "csv")}"'},
    )


@bp.get("/consultations/<int:cid>/compilation.docx")
@role_required()
def compilation_docx(cid: int):
    """The compilation as a clean Word document."""
    consultation, compiled = _compiled(cid)
    return Response(
        to_docx(compiled),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(consultation, "docx")}"'
        },
    )
