"""What both compare pages and the Word downloads share: the blueprint, the display-mode
argument and the two ends asked for (meetings of an instrument, versions of a provision)."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import Meeting, Provision, Version
from redline.services import access, redlines, texts
from redline.services.errors import NotFound
from redline.views.compare.display import TEMPLATE_HELPERS, parse_mode
from redline.web.params import arg_id

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
    if which == "to":
        return history[-1]
    return history[-2] if len(history) > 1 else history[-1]


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
