"""Acting on a comment: reply, edit, withdraw (author), resolve or reopen, record a disposition
(drafters and secretariat). Each answers 204 with `HX-Trigger: commentsChanged`, and the margin
reloads itself; an error is shown beside the form, which keeps what was typed."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from redline.extensions import db
from redline.models import DISPOSITIONS, utcnow
from redline.security import role_required
from redline.services import comments, policy
from redline.views.comments.common import bp, written

FORMS = {
    "reply": "comments/_reply_form.html",
    "edit": "comments/_edit_form.html",
    "disposition": "comments/_disposition_form.html",
}


@bp.get("/comments/<int:cid>/forms/<kind>")
@role_required(policy.writes_comments)
def form(cid: int, kind: str):
    """A reply, edit or disposition form for one thread, opened on demand."""
    if kind not in FORMS:
        abort(404)
    comment = comments.get_comment(db.session, current_user, cid)
    if kind == "disposition" and not policy.may_decide(current_user, comment):
        abort(403)
    if kind == "edit":  # the same rule as saving: no form that could only be refused
        comments.check_may_change(current_user, comment, utcnow(), "edit")
    return render_template(FORMS[kind], c=comment, dispositions=DISPOSITIONS)


@bp.post("/comments/<int:cid>/edit")
@role_required(policy.writes_comments)
def edit(cid: int):
    """The author rewrites their comment."""
    comment = comments.get_comment(db.session, current_user, cid)
    return written(
        comment.provision_id,
        "Comment updated.",
        lambda: comments.edit_comment(
            db.session, current_user, comment, request.form.get("body", "")
        ),
    )


@bp.post("/comments/<int:cid>/withdraw")
@role_required(policy.writes_comments)
def withdraw(cid: int):
    """The author withdraws their comment (kept, marked as withdrawn)."""
    comment = comments.get_comment(db.session, current_user, cid)
    return written(
        comment.provision_id,
        "Comment withdrawn.",
        lambda: comments.withdraw_comment(db.session, current_user, comment),
    )


@bp.post("/comments/<int:cid>/status")
@role_required(policy.drafts)
def status(cid: int):
    """Resolve or reopen a thread."""
    comment = comments.get_comment(db.session, current_user, cid)
    wanted = request.form.get("status", "")
    return written(
        comment.provision_id,
        f"Thread {wanted}.",
        lambda: comments.set_status(db.session, current_user, comment, wanted),
    )


@bp.post("/comments/<int:cid>/disposition")
@role_required(policy.drafts)
def disposition(cid: int):
    """Record what the drafters did with a comment, and why."""
    comment = comments.get_comment(db.session, current_user, cid)
    f = request.form
    return written(
        comment.provision_id,
        "Disposition recorded.",
        lambda: comments.record_disposition(
            db.session,
            current_user,
            comment,
            f.get("disposition", ""),
            f.get("reason", ""),
            resolve=f.get("resolve") == "1",
        ),
    )
