"""Square brackets for scripts: a provision's open pairs, and the bracket report between two
meetings (counts per provision)."""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import endpoint, query, respond
from redline.api.schemas import (
    BracketReport,
    BracketReportQuery,
    BracketsQuery,
    ProvisionBrackets,
)
from redline.extensions import db
from redline.security import role_required
from redline.services import brackets


@bp.get("/provisions/<int:pid>/brackets")
@endpoint(
    "Square brackets of a provision as of a meeting",
    query=BracketsQuery,
    responses={200: ProvisionBrackets},
    errors=(400, 404),
)
@role_required()
def provision_brackets(pid: int):
    """The pairs open in the provision's text as of `meeting` (default: the newest version the
    caller may read), nested pairs each, and the brackets without a partner."""
    found = brackets.of_provision(db.session, current_user, pid, query().meeting).brackets
    return respond(
        ProvisionBrackets.model_validate(
            {
                "open": [{"start": p.start, "end": p.end, "text": p.text} for p in found.pairs],
                "unbalanced": [{"offset": u.offset, "char": u.char} for u in found.unbalanced],
            }
        )
    )


@bp.get("/instruments/<int:iid>/brackets")
@endpoint(
    "Bracket report of an instrument between two meetings",
    query=BracketReportQuery,
    responses={200: BracketReport},
    errors=(400, 404),
)
@role_required()
def instrument_brackets(iid: int):
    """Per provision with text at either meeting: pairs opened (in `to`, not in `from`), closed
    (in `from`, gone from `to`) and open in `to`; defaults as for compare."""
    asked = query()
    report = brackets.report(db.session, current_user, iid, asked.from_, asked.to)
    items = [
        {
            "provision_id": line.provision_id,
            "opened": len(line.changes.opened),
            "closed": len(line.changes.closed),
            "open": len(line.changes.still_open),
        }
        for line in report.lines
    ]
    return respond(BracketReport.model_validate({"provisions": items}))
