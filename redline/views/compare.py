"""Redlines on screen: the whole instrument between two meetings, one provision between two
versions; inline, side by side or clean, the mode switched by htmx, the comments this person may
read marked on their passages (Word downloads in compare_docx.py)."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import Meeting, Provision, Version
from redline.security import role_required
from redline.services import access, published, redline_comments, redlines, texts
from redline.services.errors import NotFound
from redline.views.compare_display import TEMPLATE_HELPERS, parse_mode, summary
from redline.views.params import arg_id
from redline.views.rendering import page_or_fragment

bp = Blueprint("compare", __name__)


def mode_url(mode: str, pinned: dict) -> str:
    """This page in another display mode, naming exactly the two ends shown now."""
    return url_for(request.endpoint, **(request.view_args or {}), **pinned, mode=mode)


@bp.context_processor
def _helpers() -> dict:
    return {**TEMPLATE_HELPERS, "mode_url": mode_url}


def mode_arg() -> str:
    mode = parse_mode(request.args.get("mode"))
    if mode is None:
        abort(400, "'mode' must be one of inline, side, new, old.")
    return mode


def pick_meetings(iid: int) -> tuple[list[Meeting], Meeting | None, Meeting | None]:
    """The visible meetings and the two asked for in ?from=&to= (default: latest two)."""
    return redlines.pick_meetings(db.session, current_user, iid, arg_id("from"), arg_id("to"))


def _side(
    provision: Provision, history: list[Version], which: str, asked: dict[str, int | None]
) -> Version | None:
    """One end of a provision compare: `which`=<vid>, or `which`_meeting=<mid> (its text then)."""
    vid, mid = asked[which], asked[f"{which}_meeting"]
    if vid is not None and mid is not None:
        abort(400, f"Give either '{which}' or '{which}_meeting', not both.")
    if vid is not None:
        version = access.version_for(db.session, current_user, vid)
        if version.provision_id != provision.id:
            raise NotFound("No such version of this provision.")
        return version
    if mid is not None:
        meeting = access.meeting_for(db.session, current_user, mid, provision.instrument_id)
        return texts.version_as_of(db.session, provision.id, meeting)  # None: not yet drafted
    newest = access.default_version(history)
    if which == "to":
        return newest
    return history[-2] if len(history) > 1 else newest


def pick_versions(pid: int) -> tuple[Provision, list[Version], Version | None, Version | None]:
    """The provision, its visible history and the two versions asked for (default: the last
    two)."""
    # Every parameter is parsed before any is looked up: malformed input is a 400, always.
    asked = {k: arg_id(k) for k in ("from", "to", "from_meeting", "to_meeting")}
    provision = access.provision_for(db.session, current_user, pid)
    history = access.visible_versions(db.session, current_user, provision)
    if not history:
        raise NotFound("No such provision.")
    old = _side(provision, history, "from", asked)
    new = _side(provision, history, "to", asked)
    if old is None and new is None:
        raise NotFound("This provision did not exist at either meeting.")
    return provision, history, old, new


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
    comments = redline_comments.on_changes(db.session, current_user, changes)
    shown, totals = summary(changes, comments.spans)
    response = page_or_fragment(
        "compare/instrument.html",
        "redline",
        instrument=inst,
        meetings=meetings,
        from_meeting=from_m,
        to_meeting=to_m,
        mode=mode,
        runs=shown,
        totals=totals,
        threads=comments.threads,
        replies=comments.replies,
        provision_links=True,
        pinned={"from": from_m.id, "to": to_m.id} if from_m and to_m else {},
        from_label=from_m.title if from_m else "",
        to_label=to_m.title if to_m else "",
    )
    # Keep the diffs computed for this page for every later request. After rendering: a
    # commit expires every loaded object, and the template would reload them one by one.
    db.session.commit()
    return response


@bp.get("/provisions/<int:pid>/compare")
@role_required()
def provision(pid: int):
    """The redline of one provision between any two of its versions."""
    mode = mode_arg()
    prov, history, old, new = pick_versions(pid)
    change = redlines.compare_versions(db.session, old, new)
    comments = redline_comments.on_changes(db.session, current_user, [change])
    shown, totals = summary([change], comments.spans)
    item = shown[0].items[0]
    response = page_or_fragment(
        "compare/provision.html",
        "redline",
        provision=prov,
        instrument=prov.instrument,
        history=history,
        from_version=old,
        to_version=new,
        mode=mode,
        runs=shown,
        totals=totals,
        threads=comments.threads,
        replies=comments.replies,
        title=item.heading_new or item.heading_old,
        pinned=_pinned_versions(old, new),
        provision_links=False,
        from_label=_version_label(old),
        to_label=_version_label(new),
    )
    db.session.commit()  # the diff, for every later request (after rendering, as above)
    return response


from redline.views import compare_docx  # noqa: E402,F401 - the downloads register on bp
