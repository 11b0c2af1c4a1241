"""Comments in the browser: the margin beside a provision's text (loaded and refreshed by htmx),
posting a comment on a selected or quoted passage, a provision as it stood at one version."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user

from redline.domain.text.passages import highlight
from redline.extensions import db
from redline.models import Provision, Version, utcnow
from redline.security import role_required
from redline.services import access, comment_threads, comments, consultations, policy
from redline.services.errors import BadInput
from redline.views.comments.common import bp, written
from redline.web.params import arg_id, form_id, form_number

PAGE = 10  # threads rendered at once; a provision may carry a thousand


def shown_version(provision: Provision, version_id: int | None) -> Version:
    """The asked version (checked), or the newest this person may read."""
    return access.version_to_show(db.session, current_user, provision, version_id)


def commenting(version: Version) -> dict:
    """May this person comment on this version now, and in which consultation(s)?"""
    user, now = current_user, utcnow()
    if policy.is_stakeholder(user):
        w = consultations.stakeholder_window(db.session, user, version, now)
        ok = policy.may_comment(user, version, w.consultation if w else None, now)
        return dict(window=w, can_comment=ok, choices=[])
    choices = consultations.publishing(db.session, version) if policy.drafts(user) else []
    ok = policy.may_comment(user, version, None, now)
    return dict(window=None, can_comment=ok, choices=choices)


def thread_context(provision: Provision, version: Version, pinned: bool, threads) -> dict:
    """What _thread.html needs beside the threads themselves."""
    back_url = (
        url_for("comments.at_version", pid=provision.id, vid=version.id)
        if pinned
        else url_for("provisions.show", pid=provision.id)
    )
    return dict(
        provision=provision,
        version=version,
        pinned=pinned,
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
        highlighted=highlight(version.text, margin.spans, described_by="comment-"),
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


@bp.get("/provisions/<int:pid>/comments/form")
@role_required(policy.writes_comments)
def form_here(pid: int):
    """The comment form of one version, for commenting where one reads (the instrument page):
    the same form as in the margin, or why this person cannot comment on it now."""
    provision = access.provision_for(db.session, current_user, pid)
    vid = arg_id("version")
    version = shown_version(provision, vid)
    return render_template(
        "comments/_form_here.html",
        **thread_context(provision, version, vid is not None, []),
        **commenting(version),
    )


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
    offset = arg_id("offset") or 0
    stop = _page_end(refs, offset, arg_id("until"))
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


def _page_end(refs: list, offset: int, upto: int | None) -> int:
    """Where this page of threads stops: a page on, or further to include thread `upto`."""
    stop = offset + PAGE
    if upto is not None:
        at = next((i for i, t in enumerate(refs) if t.root_id == upto), None)
        stop = max(stop, at + 1 if at is not None else 0)
    return stop


@bp.post("/provisions/<int:pid>/comments")
@role_required(policy.writes_comments)
def create(pid: int):
    """Post a comment on a passage (selected, or quoted) or a reply in a thread."""
    provision = access.provision_for(db.session, current_user, pid)
    f = request.form
    return written(
        pid,
        "Comment posted.",
        lambda: comments.create_comment(
            db.session,
            current_user,
            provision,
            body=f.get("body", ""),
            internal=f.get("internal") == "1",
            **_where(),
        ),
    )


def _where() -> dict:
    """Where the comment goes: a passage of a version (offsets, or a quote the service finds
    after its permission and window checks), a thread, a consultation."""
    f = request.form
    fields = dict(
        version_id=form_id("version_id"),
        start=form_number("start"),
        end=form_number("end"),
        exact=f.get("exact"),
        parent_id=form_id("parent_id"),
        consultation_id=form_id("consultation_id"),
    )
    if f.get("quote") is not None and fields["parent_id"] is None:
        fields["quote"] = f.get("quote")
    return fields


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
