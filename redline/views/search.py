"""The search page: one box in the header, results grouped by provision, filters."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from redline.extensions import db
from redline.security import role_required
from redline.services import search
from redline.web.params import arg_id
from redline.web.rendering import page_or_fragment

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/")
@role_required()
def index():
    """Results for `q` (none asked: the empty form); a query that cannot be searched is shown
    beside the box with 400."""
    q = (request.args.get("q") or "").strip()
    scope = request.args.get("scope") or "text"
    filters = search.Filters(
        meeting_id=arg_id("meeting"),
        category=request.args.get("category") or None,
        disposition=request.args.get("disposition") or None,
    )
    groups, error = search.page(db.session, current_user, q, scope, filters)
    return page_or_fragment(
        "search/index.html",
        "results",
        400 if error else 200,
        q=q,
        scope=scope,
        filters=filters,
        groups=groups,
        error=error,
        choices=search.choices(db.session, current_user),
        limit=search.MAX_RESULTS,
    )
