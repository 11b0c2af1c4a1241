"""Comments over the API: list them placed on a version, post one (or a reply).

The body is `schemas.CommentPost`: offsets are code points; `exact` must be the version's text
between them (400 otherwise). A reply (`parent_id`) joins its thread: the passage fields are
ignored.
"""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import body, endpoint, query, respond
from redline.api.schemas import Anchor, CommentList, CommentPost, CommentsQuery
from redline.api.schemas import Comment as CommentOut
from redline.domain.text.anchors import Placement
from redline.extensions import db
from redline.models import Comment, Version
from redline.security import role_required
from redline.services import access, comment_threads, comments, placement, policy


def comment_out(c: Comment, root: Comment, placement: Placement, version: Version) -> CommentOut:
    """One comment placed with its thread (`root`); withdrawn text stays on the drafting side,
    and so do its decisions until the consultation's outcome is published."""
    decisions = policy.may_see_disposition(current_user, c)
    start, end = placement.start, placement.end
    return CommentOut(
        id=c.id,
        parent_id=c.parent_id,
        body="" if c.withdrawn and not policy.sees_withdrawn_text(current_user) else c.body,
        author=c.author.name,
        organisation=c.author.organisation,
        category=c.author.category,
        created_at=c.created_at.isoformat(),
        edited_at=c.edited_at.isoformat() if c.edited_at else None,
        withdrawn=c.withdrawn,
        version_id=c.version_id,
        visibility=c.visibility,
        consultation_id=c.consultation_id,
        status=c.status,
        disposition=c.disposition if decisions else None,
        disposition_reason=c.disposition_reason if decisions else None,
        anchor=Anchor(
            status=placement.status,
            start=start,
            end=end,
            # The asked version's text at the span: the quote itself when "anchored".
            exact=None if start is None else version.text[start:end],
            quote=root.exact,  # what was selected, on the version it was made on
        ),
    )


@bp.get("/provisions/<int:pid>/comments")
@endpoint(
    "Comments placed on a version (default: newest visible)",
    query=CommentsQuery,
    responses={200: CommentList},
    errors=(400, 404),
)
@role_required()
def list_comments(pid: int):
    """Visible comments (threads and replies) placed on ?version= (default: newest visible)."""
    provision = access.provision_for(db.session, current_user, pid)
    version = access.version_to_show(db.session, current_user, provision, query().version)
    items = [
        comment_out(c, t.root, t.placement, version)
        for t in comment_threads.threads_on(db.session, current_user, version)
        for c in t.comments
    ]
    items.sort(key=lambda item: item.id)
    return respond(CommentList(version_id=version.id, items=items))


@bp.post("/provisions/<int:pid>/comments")
@endpoint(
    "Comment on a passage (or reply in a thread)",
    body=CommentPost,
    responses={201: CommentOut},
    errors=(400, 403, 404, 413, 422),
)
@role_required(policy.writes_comments)
def create_comment(pid: int):
    """Comment on a passage of a version, or reply in a thread; 201 with the comment."""
    provision = access.provision_for(db.session, current_user, pid)
    sent: CommentPost = body()
    comment = comments.create_comment(
        db.session,
        current_user,
        provision,
        body=sent.body,
        version_id=sent.version_id,
        start=sent.start,
        end=sent.end,
        exact=sent.exact,
        parent_id=sent.parent_id,
        consultation_id=sent.consultation_id,
        internal=bool(sent.internal),
    )
    db.session.commit()
    root = comment.parent if comment.parent_id else comment
    version = db.session.get(Version, comment.version_id)
    placed = placement.on_version(db.session, version, [root])[root.id]
    return respond(comment_out(comment, root, placed, version), 201)
