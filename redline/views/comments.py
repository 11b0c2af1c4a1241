"""Comments in the browser: the margin beside a provision's text (loaded and refreshed by htmx),
posting a comment on a selected or quoted passage, a provision as it stood at one version."""

from __future__ import annotations

import re

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.text.passages import highlight
from redline.extensions import db
from redline.models import Provision, Version, utcnow
from redline.security import role_required
from redline.services import access, comment_threads, comments, consultations, placement
from redline.services.errors import BadInput, ServiceError
from redline.views.params import arg_id, form_id, form_number, safe_next
from redline.views.rendering import wants_fragment

bp = Blueprint("comments", __name__)

# After a write the margin reloads itself (it listens for this event).
CHANGED = {"HX-Trigger": "commentsChanged"}
PAGE = 10  # threads rendered at once; a provision may carry a thousand


def shown_version(provision: Provision, version_id: int | None) -> Version:
    """The asked version (checked), or the newest this person may read."""
    return placement.shown_version(db.session, current_user, provision, version_id)


def commenting(version: Version) -> dict:
    """May this person comment on this version now, and in which consultation(s)?"""
    user, now = current_user, utcnow()
    if user.is_stakeholder:
        w = consultations.stakeholder_window(db.session, user, version, now)
        return dict(window=w, can_comment=bool(w and w.is_open), choices=[])
    choices = consultations.publishing(db.session, version) if user.can_edit else []
    return dict(window=None, can_comment=user.can_edit and not version.removed, choices=choices)


def thread_context(provision: Provision, version: Version, pinned: bool, threads) -> dict:
    """What _thread.html needs beside the threads themselves."""
    now = utcnow()
    # Which threads' consultations still take this stakeholder's replies and edits.
    reply_open = {
        t.root.consultation_id: consultations.window(
            t.root.consultation, current_user.category, now
        ).is_open
        for t in threads
        if current_user.is_stakeholder and t.root.consultation is not None
    }
    back_url = (
        url_for("comments.at_version", pid=provision.id, vid=version.id)
        if pinned
        else url_for("provisions.show", pid=provision.id)
    )
    return dict(
        provision=provision,
        version=version,
        pinned=pinned,
        reply_open=reply_open,
        back_url=back_url,
    )


def margin_context(provision: Provision, version: Version, pinned: bool, seen: int | None) -> dict:
    margin = comment_threads.margin_on(db.session, current_user, version, seen)
    # Only the first page of each list is loaded; the rest comes as the margin scrolls.
    placed = comment_threads.load_threads(db.session, margin.placed[:PAGE])
    orphans = comment_threads.load_threads(db.session, margin.orphans[:PAGE])
    return dict(
        margin=margin,
        placed=placed,
        orphans=orphans,
        page_size=PAGE,
        seen=margin.newest_id if seen is None else seen,
        stamp=comment_threads.stamp(db.session, current_user, version, margin.version_ids),
        highlighted=highlight(version.text, margin.spans),
        **thread_context(provision, version, pinned, [*placed, *orphans]),
        **commenting(version),
    )


def render_margin(provision: Provision, version: Version, pinned: bool, seen: int | None = None):
    body = render_template(
        "comments/_margin.html", oob=True, **margin_context(provision, version, pinned, seen)
    )
    response = make_response(body)
    response.vary.add("HX-Request")
    return response


@bp.get("/provisions/<int:pid>/comments")
@role_required()
def margin(pid: int):
    """The comment margin of one version (default: the newest visible), with the text marked."""
    provision = access.provision_for(db.session, current_user, pid)
    vid = arg_id("version")
    return render_margin(provision, shown_version(provision, vid), vid is not None, arg_id("seen"))


@bp.get("/provisions/<int:pid>/comments/poll")
@role_required()
def poll(pid: int):
    """204 while nothing changed; the new margin, or only the counter while someone types."""
    provision = access.provision_for(db.session, current_user, pid)
    vid = arg_id("version")
    version = shown_version(provision, vid)
    if comment_threads.stamp(db.session, current_user, version) == request.args.get("stamp"):
        return "", 204
    seen = arg_id("seen")
    if request.args.get("editing") != "1":
        return render_margin(provision, version, vid is not None, seen)
    margin = comment_threads.margin_on(db.session, current_user, version, seen)
    response = make_response(
        render_template(
            "comments/_new_count.html",
            provision=provision,
            version=version,
            pinned=vid is not None,
            margin=margin,
            seen=seen,
            count_oob=True,
        )
    )
    response.headers["HX-Reswap"] = "none"  # keep the half-written comment: only the counter
    return response


@bp.get("/provisions/<int:pid>/comments/threads")
@role_required()
def threads_page(pid: int):
    """More threads for the margin (placed or orphaned), loaded as it scrolls or when a marked
    passage is clicked (`until`: load up to that thread)."""
    provision = access.provision_for(db.session, current_user, pid)
    vid = arg_id("version")
    version = shown_version(provision, vid)
    part = request.args.get("part", "placed")
    if part not in ("placed", "orphans"):
        raise BadInput("'part' is placed or orphans.")
    margin = comment_threads.margin_on(db.session, current_user, version, arg_id("seen"))
    refs = getattr(margin, part)
    offset, upto = arg_id("offset") or 0, arg_id("until")
    stop = offset + PAGE
    if upto is not None:
        at = next((i for i, t in enumerate(refs) if t.root_id == upto), None)
        stop = max(stop, at + 1 if at is not None else 0)
    threads = comment_threads.load_threads(db.session, refs[offset:stop])
    return render_template(
        "comments/_threads_page.html",
        threads=threads,
        part=part,
        offset=stop,
        more=stop < len(refs),
        seen=arg_id("seen"),
        **thread_context(provision, version, vid is not None, threads),
    )


def form_error(message: str):
    """Show the error beside the form that failed, leaving the form (and what was typed) as is.

    htmx swaps only 2xx answers, so this is a 200 with an out-of-band error and no main swap.
    """
    form_id = request.form.get("form_id", "")
    if not re.fullmatch(r"[a-z0-9-]{1,60}", form_id):
        form_id = "comment-form"
    response = make_response(
        render_template("comments/_error.html", form_id=form_id, message=message)
    )
    response.headers["HX-Reswap"] = "none"
    return response


def back_to(provision_id: int):
    """Where a plain (non-htmx) form post returns: the page it came from, if it is ours."""
    fallback = url_for("provisions.show", pid=provision_id)
    return redirect(safe_next(request.form.get("next"), fallback))


@bp.post("/provisions/<int:pid>/comments")
@role_required(*comments.WRITERS)
def create(pid: int):
    """Post a comment on a passage (selected, or quoted) or a reply in a thread."""
    provision = access.provision_for(db.session, current_user, pid)
    f = request.form
    try:
        fields = dict(
            version_id=form_id("version_id"),
            start=form_number("start"),
            end=form_number("end"),
            exact=f.get("exact"),
            parent_id=form_id("parent_id"),
            consultation_id=form_id("consultation_id"),
        )
        if f.get("quote") is not None and fields["parent_id"] is None:
            # Found by the service, after the permission and window checks.
            fields["quote"] = f.get("quote")
        comments.create_comment(
            db.session,
            current_user,
            provision,
            body=f.get("body", ""),
            internal=f.get("internal") == "1",
            **fields,
        )
    except ServiceError as e:
        if not wants_fragment():
            raise  # a plain form gets the error page with its status (redline.errors)
        db.session.rollback()
        return form_error(e.message)
    db.session.commit()
    if not wants_fragment():
        flash("Comment posted.", "success")
        return back_to(pid)
    return "", 204, CHANGED


@bp.get("/comments/<int:cid>")
@role_required()
def show(cid: int):
    """A comment on the version it was made on (its thread highlighted)."""
    comment = comments.get_comment(db.session, current_user, cid)
    root_id = comment.parent_id or comment.id
    return redirect(
        url_for("comments.at_version", pid=comment.provision_id, vid=comment.version_id)
        + f"#thread-{root_id}"
    )


@bp.get("/provisions/<int:pid>/at/<int:vid>")
@role_required()
def at_version(pid: int, vid: int):
    """A provision as it stood at one version, with the comments placed on that text."""
    provision = access.provision_for(db.session, current_user, pid)
    version = shown_version(provision, vid)
    history = access.visible_versions(db.session, current_user, provision)
    return render_template(
        "comments/version.html",
        provision=provision,
        version=version,
        instrument=provision.instrument,
        history=history,
    )


from redline.views import comment_actions  # noqa: E402,F401 - more routes on bp
