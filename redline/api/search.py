"""Search for scripts: provision text, every version, or comments, as the reader may see them."""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import endpoint, query, respond
from redline.api.schemas import SearchHit, SearchQuery, SearchResults
from redline.extensions import db
from redline.security import role_required
from redline.services import search as service


@bp.get("/search")
@endpoint(
    "Search provision text, versions or comments",
    query=SearchQuery,
    responses={200: SearchResults},
    errors=(400, 404, 413),
)
@role_required()
def search():
    """Only what the reader may see (404 for a meeting they may not see)."""
    asked = query()
    hits = service.search(
        db.session, current_user, asked.q, asked.scope, service.Filters(meeting_id=asked.meeting)
    )
    items = []
    for h in hits:
        fields = dict(
            provision_id=h.provision_id,
            version_id=h.version_id,
            meeting_id=h.meeting_id,
            snippet=h.snippet,
        )
        if h.comment_id is not None:
            fields["comment_id"] = h.comment_id
        items.append(SearchHit(**fields))
    return respond(SearchResults(items=items), omit_unset=True)
