"""GET /api/v1/provisions/<pid>/history: which meeting wrote each word of a version."""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import endpoint, query, respond
from redline.api.schemas import HistoryQuery, PassageHistory
from redline.extensions import db
from redline.security import role_required
from redline.services import access, passage_history


@bp.get("/provisions/<int:pid>/history")
@endpoint(
    "Which meeting wrote each word of a version (default: newest visible)",
    query=HistoryQuery,
    responses={200: PassageHistory},
    errors=(400, 404),
)
@role_required()
def provision_history(pid: int):
    """Runs covering the version's text exactly once, in order; a stakeholder sees only
    published meetings (words written at unpublished ones carry the first published meeting
    that showed them) and no version ids."""
    provision = access.provision_for(db.session, current_user, pid)
    version = access.version_to_show(db.session, current_user, provision, query().version)
    history = passage_history.history_of(db.session, current_user, version)
    db.session.commit()  # the cache row, for later readers
    runs = [
        {"start": r.start, "end": r.end, "meeting_id": r.meeting.id, "version_id": r.version_id}
        for r in history.runs
    ]
    return respond(PassageHistory.model_validate({"version_id": version.id, "runs": runs}))
