"""Editing in the browser: the inline editor, saving (merge or conflict), add, remove, move."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.text.redline import render_inline
from redline.extensions import db
from redline.security import role_required
from redline.services import access, policy, texts, versions
from redline.services.errors import BadInput, ServiceError
from redline.services.meetings import newest_open_meeting
from redline.services.transactions import commit_with_retry
from redline.web.failures import refused_with
from redline.web.params import form_id
from redline.web.rendering import wants_fragment

bp = Blueprint("editing", __name__, url_prefix="/provisions")

LOST_BASE = "The editor lost its base version; reload the page (copy your text first)."


def _editor(pid: int, status: int = 200, **context):
    provision = versions.get_provision(db.session, pid)
    meeting = newest_open_meeting(db.session, provision.instrument_id)
    body = render_template(
        "provisions/_editor.html",
        provision_id=pid,
        meeting=meeting,
        page_heading=request.args.get("page") == "1",
        **context,
    )
    return body, status


def _block(version, **context):
    return render_template(
        "provisions/_block.html",
        v=version,
        editable=True,
        page_heading=request.args.get("page") == "1",
        **context,
    )


@bp.get("/<int:pid>/block")
@role_required()
def block(pid: int):
    """The provision as displayed (what Cancel brings back)."""
    provision = access.provision_for(db.session, current_user, pid)
    head = access.version_to_show(db.session, current_user, provision)
    return render_template(
        "provisions/_block.html",
        v=head,
        editable=policy.may_edit(
            current_user, newest_open_meeting(db.session, provision.instrument_id)
        ),
        page_heading=request.args.get("page") == "1",
    )


@bp.get("/<int:pid>/edit")
@role_required(policy.drafts)
def edit(pid: int):
    """The inline editor, starting from the current version."""
    head = texts.head(db.session, versions.get_provision(db.session, pid).id)
    return _editor(
        pid,
        base_version_id=head.id,
        number=head.number,
        heading=head.heading,
        text=head.text,
        message="",
    )


@bp.post("/<int:pid>/versions")
@role_required(policy.drafts)
def save(pid: int):
    """Save the editor: a new version, merged with concurrent edits when they do not overlap."""
    provision = versions.get_provision(db.session, pid)
    kept = _typed()  # whatever happens, the drafter gets their words back
    base_id = _base_id()
    if base_id is None:
        return _editor(pid, 400, base_version_id="", error=LOST_BASE, **kept)
    with refused_with(partial(_not_saved, pid, base_id, kept)):
        saved = commit_with_retry(
            db.session,
            lambda: versions.record_edit(
                db.session,
                provision,
                base_version_id=base_id,
                author=current_user,
                max_chars=current_app.config["MAX_TEXT_CHARS"],
                **kept,
            ),
        )
    return _saved(pid, saved)


def _typed() -> dict[str, str]:
    """What the drafter typed in the editor."""
    f = request.form
    return {key: f.get(key, "") for key in ("number", "heading", "text", "message")}


def _base_id() -> int | None:
    try:
        return form_id("base_version_id")
    except BadInput:  # a damaged form must still give the drafter their words back
        return None


def _not_saved(pid: int, base_id: int, kept: dict[str, str], error: ServiceError):
    """The editor again with the drafter's words: beside their version on a conflict (the next
    save starts from it), else with the error. htmx swaps only 2xx, so those get 200."""
    if isinstance(error, versions.EditConflict):
        conflict = dict(
            message=error.message,
            head=error.head,
            theirs_html=render_inline(error.outcome.theirs_ops) if error.outcome else "",
            mine_html=render_inline(error.outcome.mine_ops) if error.outcome else "",
        )
        status = 409 if not wants_fragment() else 200
        return _editor(pid, status, base_version_id=error.head.id, conflict=conflict, **kept)
    status = error.status if not wants_fragment() else 200
    return _editor(pid, status, base_version_id=base_id, error=error.message, **kept)


def _saved(pid: int, saved):
    """A plain form goes back to the provision; htmx gets the new block in place."""
    notice = (
        "Saved, merged with a concurrent edit by someone else: check the result."
        if saved.merged
        else "Saved."
    )
    if not wants_fragment():
        flash(notice, "success")
        return redirect(url_for("provisions.show", pid=pid))
    response = current_app.make_response(
        _block(saved.version, notice=notice, notice_kind="warning" if saved.merged else "success")
    )
    response.headers["HX-Trigger"] = "versionSaved"
    return response


@bp.post("/<int:pid>/remove")
@role_required(policy.drafts)
def remove(pid: int):
    """Record the provision as removed at the open meeting (its history stays)."""
    provision = versions.get_provision(db.session, pid)
    base_id = form_id("base_version_id") or 0
    version = commit_with_retry(
        db.session,
        lambda: versions.remove_provision(
            db.session,
            provision,
            base_version_id=base_id,
            author=current_user,
            message=request.form.get("message", ""),
        ),
    )
    flash(f"{version.title} removed at {version.meeting.title}.", "success")
    return redirect(url_for("instruments.show", iid=provision.instrument_id))


@bp.post("/<int:pid>/move")
@role_required(policy.drafts)
def move(pid: int):
    """Place the provision after another one (or first)."""
    provision = versions.get_provision(db.session, pid)
    after = form_id("after")
    version = commit_with_retry(
        db.session,
        lambda: versions.move_provision(
            db.session, provision, after_provision_id=after, author=current_user
        ),
    )
    flash(f"{version.title} moved.", "success")
    return redirect(url_for("instruments.show", iid=provision.instrument_id) + f"#provision-{pid}")


@bp.post("/new/<int:iid>")
@role_required(policy.drafts)
def add(iid: int):
    """Add a provision to the instrument, after a chosen one."""
    instrument = access.instrument_for(db.session, current_user, iid)
    f = request.form
    version = commit_with_retry(
        db.session,
        lambda: versions.add_provision(
            db.session,
            instrument,
            after_provision_id=form_id("after"),
            number=f.get("number", ""),
            heading=f.get("heading", ""),
            text=f.get("text", ""),
            kind=f.get("kind", "article"),
            author=current_user,
            max_chars=current_app.config["MAX_TEXT_CHARS"],
            message=f.get("message", ""),
        ),
    )
    flash(f"{version.title} added.", "success")
    return redirect(url_for("instruments.show", iid=iid) + f"#provision-{version.provision_id}")
