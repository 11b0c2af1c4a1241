"""Redlines for scripts: the ops between two versions, a whole instrument between two meetings."""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import endpoint, query, respond
from redline.api.schemas import (
    CompareQuery,
    Comparison,
    Diff,
    DiffQuery,
)
from redline.domain.text import compare as domain
from redline.domain.text.redline import is_coarse, ops_to_json, stats
from redline.extensions import db
from redline.security import role_required
from redline.services import access, redlines


def _stats(ops) -> dict:
    s = stats(ops)
    return {"inserted_words": s.inserted_words, "deleted_words": s.deleted_words}


def change_of(c: domain.ProvisionChange) -> dict:
    """One provision of the comparison (`ProvisionChange`). The whole comparison is validated
    by its model in one call, faster than a model per provision (bench/api_bench.py)."""
    return {
        "provision_id": c.provision_id,
        "status": c.status,
        "kind": c.kind,
        "moved": c.moved,
        "from_version_id": c.from_version_id,
        "to_version_id": c.to_version_id,
        "from_number": c.from_number,
        "to_number": c.to_number,
        "from_heading": c.before.heading if c.before else None,
        "to_heading": c.after.heading if c.after else None,
        "ops": ops_to_json(c.ops),
        "stats": _stats(c.ops),
        "direction": c.direction if (c.before or c.after) else "ltr",
        # Changes inside footnotes and endnotes, note by note (paired by marker).
        "notes": [
            {"marker": n.marker, "kind": n.kind, "status": n.status, "ops": ops_to_json(n.ops)}
            for n in c.notes
        ],
        "coarse": c.coarse,
    }


@bp.get("/diff")
@endpoint(
    "Word-level redline between two versions",
    query=DiffQuery,
    responses={200: Diff},
    errors=(400, 404),
)
@role_required()
def diff():
    """Word-level ops from one version's text to another's: two versions of one provision,
    both visible to the reader (404 otherwise; 400 for versions of two provisions)."""
    asked = query()
    old = access.version_for(db.session, current_user, asked.from_)
    new = access.version_for(db.session, current_user, asked.to)
    ops = redlines.ops_between(db.session, old, new)
    db.session.commit()  # the cache row (if the pair is one the pages show), for later callers
    return respond(
        Diff.model_validate(
            {"ops": ops_to_json(ops), "stats": _stats(ops), "coarse": is_coarse(ops)}
        )
    )


@bp.get("/instruments/<int:iid>/compare")
@endpoint(
    "Redline of the whole instrument between two meetings",
    query=CompareQuery,
    responses={200: Comparison},
    errors=(400, 404),
)
@role_required()
def compare(iid: int):
    """The instrument between two meetings, provision by provision (default: the latest two)."""
    access.instrument_for(db.session, current_user, iid)
    asked = query()
    _, from_m, to_m = redlines.pick_meetings(db.session, current_user, iid, asked.from_, asked.to)
    changes = redlines.compare_meetings(db.session, from_m, to_m) if from_m and to_m else []
    body = Comparison.model_validate(
        {
            "from_meeting_id": from_m.id if from_m else None,
            "to_meeting_id": to_m.id if to_m else None,
            "provisions": [change_of(c) for c in changes],
        }
    )
    db.session.commit()  # the cache rows, for every later caller
    return respond(body)
