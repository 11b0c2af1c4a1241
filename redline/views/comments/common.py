"""What the comment pages and the comment actions share: the blueprint and how a write
answers (the margin's reload trigger, an error beside the form, the way back)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for

from redline.extensions import db
from redline.web.failures import refused_with
from redline.web.params import safe_next
from redline.web.rendering import wants_fragment

bp = Blueprint("comments", __name__)

# After a write the margin reloads itself (it listens for this event).
CHANGED = {"HX-Trigger": "commentsChanged"}


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


def written(provision_id: int, notice: str, work: Callable[[], object]):
    """Run one write, commit once; htmx gets 204 + a trigger, a plain form a redirect. A refused
    write: htmx gets the error beside its form; a plain form the error page with its status
    (redline.errors)."""
    with refused_with(lambda e: form_error(e.message), fragment_only=True):
        done = work()
    db.session.commit()
    if not wants_fragment():
        flash(notice, "success")
        return back_to(provision_id)
    return "", 204, changed(done)


def changed(comment: object) -> dict[str, str]:
    """The margin's reload trigger, naming the comment written (new, edited, decided on) so
    that keyboard users find the focus on it once the margin is back (static/js/selection.js)."""
    cid = getattr(comment, "id", None)
    if not isinstance(cid, int):
        return CHANGED
    return {"HX-Trigger": json.dumps({"commentsChanged": {"focus": f"comment-{cid}"}})}
