"""POST /api/v1/provisions/<pid>/versions: save a new version, merged or refused (409)."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.common import field, json_body
from redline.api.instruments import version_json
from redline.domain.text.redline import ops_to_json
from redline.extensions import db
from redline.security import role_required
from redline.services import access, policy, published, versions
from redline.services.transactions import commit_with_retry


@bp.post("/provisions/<int:pid>/versions")
@role_required(policy.drafts)
def create_version(pid: int):
    """Record a version in the newest open meeting; 409 if it would overwrite someone's words."""
    provision = access.provision_for(db.session, current_user, pid)
    data = json_body()
    base_id = field(data, "base_version_id", int)
    text = field(data, "text", str)
    heading = field(data, "heading", str, required=False)
    number = field(data, "number", str, required=False)
    message = field(data, "message", str, required=False) or ""
    try:
        saved = commit_with_retry(
            db.session,
            lambda: versions.record_edit(
                db.session,
                provision,
                base_version_id=base_id,
                text=text,
                heading=heading,
                number=number,
                message=message,
                author=current_user,
                max_chars=current_app.config["MAX_TEXT_CHARS"],
            ),
        )
    except versions.EditConflict as e:
        db.session.rollback()
        body = {
            "error": "conflict",
            "message": e.message,
            "head_version_id": e.head.id,
            "head_text": e.head.text,
            "your_text": e.mine,
        }
        if e.outcome is not None:
            body["their_ops"] = ops_to_json(e.outcome.theirs_ops)
            body["your_ops"] = ops_to_json(e.outcome.mine_ops)
        return jsonify(body), 409
    shown = published.shown_version(db.session, current_user, saved.version)
    return jsonify({**version_json(shown), "merged": saved.merged}), 201
