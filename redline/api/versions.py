"""POST /api/v1/provisions/<pid>/versions: save a new version, merged or refused (409)."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import body, endpoint, respond
from redline.api.instruments import version_fields
from redline.api.schemas import EditConflict, SavedVersion, VersionEdit
from redline.domain.text.redline import ops_to_json
from redline.extensions import db
from redline.security import role_required
from redline.services import access, policy, published, versions
from redline.services.transactions import commit_with_retry


@bp.post("/provisions/<int:pid>/versions")
@endpoint(
    "Record a version in the newest open meeting (merged or 409)",
    body=VersionEdit,
    responses={201: SavedVersion, 409: EditConflict},
    errors=(400, 403, 404, 413),
)
@role_required(policy.drafts)
def create_version(pid: int):
    """Record a version in the newest open meeting; 409 if it would overwrite someone's words
    (`head_version_id`, `head_text`, `your_text` and, when a merge was tried, both sides' ops),
    or with `"error": "no_open_meeting"` when every meeting is closed."""
    provision = access.provision_for(db.session, current_user, pid)
    edit = body()
    try:
        saved = commit_with_retry(
            db.session,
            lambda: versions.record_edit(
                db.session,
                provision,
                base_version_id=edit.base_version_id,
                text=edit.text,
                heading=edit.heading,
                number=edit.number,
                message=edit.message or "",
                author=current_user,
                max_chars=current_app.config["MAX_TEXT_CHARS"],
            ),
        )
    except versions.EditConflict as e:
        db.session.rollback()
        merge = {}
        if e.outcome is not None:  # a merge was tried: what each side changed
            merge = dict(
                their_ops=ops_to_json(e.outcome.theirs_ops),
                your_ops=ops_to_json(e.outcome.mine_ops),
            )
        conflict = EditConflict(
            error="conflict",
            message=e.message,
            head_version_id=e.head.id,
            head_text=e.head.text,
            your_text=e.mine,
            **merge,
        )
        return respond(conflict, 409, omit_unset=True)
    shown = published.shown_version(db.session, current_user, saved.version)
    return respond(SavedVersion(**version_fields(shown), merged=saved.merged), 201)
