"""Redlines on screen: the whole instrument between two meetings, one provision between two
versions; inline, side by side or clean, the mode switched by htmx, the comments this person may
read marked on their passages (Word downloads in downloads.py)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from redline.domain.text.compare import ProvisionChange
from redline.extensions import db
from redline.models import Version
from redline.security import role_required
from redline.services import access, outline, published, redline_comments, redlines
from redline.views.compare.common import bp, mode_arg, pick_meetings, pick_versions
from redline.views.compare.display import summary, title
from redline.web.rendering import page_or_fragment


def _version_label(v: Version | None) -> str:
    if v is None:
        return "Not yet drafted"
    shown = published.shown_version(db.session, current_user, v)  # a stakeholder's view
    return f"Version {v.id} · {shown.meeting.title}" + (" · removed" if v.removed else "")


def _pinned_versions(old: Version | None, new: Version | None) -> dict:
    """Query arguments naming the two ends shown, for links that must show the same redline."""
    args: dict = {}
    for key, version in (("from", old), ("to", new)):
        if version is not None:
            args[key] = version.id
        else:  # no version then: keep the meeting it was asked by
            args[f"{key}_meeting"] = request.args.get(f"{key}_meeting")
    return args


@bp.get("/instruments/<int:iid>/compare")
@role_required()
def instrument(iid: int):
    """The redline of a whole instrument between two meetings."""
    inst = access.instrument_for(db.session, current_user, iid)
    mode = mode_arg()
    meetings, from_m, to_m = pick_meetings(iid)
    changes = redlines.compare_meetings(db.session, from_m, to_m) if from_m and to_m else []
    return _redline_page(
        "compare/instrument.html",
        changes,
        instrument=inst,
        meetings=meetings,
        from_meeting=from_m,
        to_meeting=to_m,
        mode=mode,
        provision_links=True,
        outline=outline.of_changes(changes, title),
        pinned={"from": from_m.id, "to": to_m.id} if from_m and to_m else {},
        from_label=from_m.title if from_m else "",
        to_label=to_m.title if to_m else "",
    )


@bp.get("/provisions/<int:pid>/compare")
@role_required()
def provision(pid: int):
    """The redline of one provision between any two of its versions."""
    mode = mode_arg()
    prov, history, old, new = pick_versions(pid)
    change = redlines.compare_versions(db.session, old, new)
    return _redline_page(
        "compare/provision.html",
        [change],
        provision=prov,
        instrument=prov.instrument,
        history=history,
        from_version=old,
        to_version=new,
        mode=mode,
        title=title(change),
        pinned=_pinned_versions(old, new),
        provision_links=False,
        from_label=_version_label(old),
        to_label=_version_label(new),
    )


def _redline_page(template: str, changes: list[ProvisionChange], **context):
    """The redline page (or its htmx fragment), with the comments this person may read marked
    on their passages."""
    comments = redline_comments.on_changes(db.session, current_user, changes)
    shown, totals = summary(changes, comments.spans)
    response = page_or_fragment(
        template,
        "redline",
        runs=shown,
        totals=totals,
        threads=comments.threads,
        replies=comments.replies,
        **context,
    )
    # Keep the diffs computed for this page for every later request. After rendering: a
    # commit expires every loaded object, and the template would reload them one by one.
    db.session.commit()
    return response
