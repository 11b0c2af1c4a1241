"""What the comment pages and the comment actions share: the blueprint and how a write
answers (the margin's reload trigger, an error beside the form, the way back)."""

from __future__ import annotations

import re

from flask import Blueprint, make_response, redirect, render_template, request, url_for

from redline.web.params import safe_next

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
