"""Comments on passages: writing, editing, withdrawing, resolving, recording dispositions.

Who may write what is decided by redline.services.policy (may_comment, may_reply,
may_change_comment, may_decide); this module applies it and explains a refusal. In short:

* observers never write;
* a stakeholder comments only on text a consultation published, only while that consultation
  is open for their category; the comment then belongs to it (visibility "consultation"). When
  several consultations published the version, the open one started most recently is used,
  or the one named by `consultation_id` (checked);
* drafters and the secretariat comment internally (drafting group only) unless they name a
  consultation that published the version;
* a reply joins the thread of the comment it answers and is posted where the thread is: a
  reply in a consultation thread is seen by the stakeholder who started it (and by every
  participant if the consultation shows comments to all), unless a drafter asks for an
  internal reply. Replies carry no anchor of their own: start/end/exact sent with a reply are
  ignored, and so is version_id (the thread's version is used);
* only the author edits or withdraws a comment; a stakeholder only while the window is still
  open for them (the compilation must not change after the deadline). Withdrawn comments are
  kept and marked, never deleted;
* drafters and the secretariat resolve and reopen threads and record dispositions.

Every write is audited in the caller's transaction; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from redline.domain.text.anchors import AnchorError, Quote, quote_for
from redline.domain.text.passages import PassageNotFound, locate
from redline.domain.text.validation import TextError, clean_text
from redline.models import DISPOSITIONS, Comment, Consultation, Provision, User, Version, utcnow
from redline.services import access, anchoring, announcements, audit, consultations, policy
from redline.services.errors import (
    BadInput,
    Conflict,
    NotAllowed,
    NotFound,
    TooLarge,
    Unprocessable,
)

MAX_BODY = 10_000
MAX_REASON = 2_000
MAX_QUOTE = 2_000


def checked_body(text: object, limit: int = MAX_BODY, what: str = "The comment") -> str:
    """A comment's text: a string, within the limit, no control characters, not blank."""
    if not isinstance(text, str):
        raise BadInput(f"{what} must be text.")
    try:
        text = clean_text(text, limit, what).strip()
    except TextError as e:
        raise (TooLarge if e.too_large else BadInput)(str(e)) from None
    if not text:
        raise BadInput(f"{what} is empty: write something.")
    return text


def get_comment(session: Session, user: User, comment_id: int) -> Comment:
    """A comment this person may see (NotFound otherwise: ids reveal nothing)."""
    comment = session.get(Comment, comment_id)
    if comment is None or not policy.may_see_comment(session, user, comment):
        raise NotFound("No such comment.")
    access.provision_for(session, user, comment.provision_id)
    return comment


def _refused(user: User, consultation: Consultation | None, now: datetime, doing: str) -> None:
    """Why the policy refused a stakeholder's write in `consultation`, in their words."""
    if consultation is None:
        raise NotAllowed("This text was not published for consultation.")
    w = consultations.window(consultation, user.category, now)
    if w.state == "upcoming":
        raise NotAllowed(
            f"The consultation opens on {w.opens_at:%Y-%m-%d %H:%M} UTC; {doing} is possible "
            "from then on."
        )
    if w.state == "closed":
        raise NotAllowed(
            f"The consultation closed on {w.closes_at:%Y-%m-%d %H:%M} UTC for your category: "
            "comments are no longer accepted."
        )
    raise NotAllowed(f"You may not write in {consultation.title}.")


def _consultation_for_root(
    session: Session, user: User, version: Version, consultation_id: int | None, now: datetime
) -> Consultation | None:
    published = consultations.publishing(session, version)
    if consultation_id is not None:
        chosen = next((c for c in published if c.id == consultation_id), None)
        if chosen is None:
            raise BadInput("That consultation did not publish this version of the text.")
    elif policy.writes_internal(user):
        chosen = None  # the drafting group's own, internal comment
    else:
        w = consultations.stakeholder_window(session, user, version, now)
        chosen = w.consultation if w else None
    if not policy.may_comment(user, version, chosen, now):
        _refused(user, chosen, now, "commenting")
    return chosen


def create_comment(
    session: Session,
    user: User,
    provision: Provision,
    *,
    body: object,
    version_id: int | None = None,
    start: object = None,
    end: object = None,
    exact: object = None,
    parent_id: int | None = None,
    consultation_id: int | None = None,
    internal: bool = False,
    quote: str | None = None,
    now: datetime | None = None,
) -> Comment:
    """A new comment on a passage of a version, or a reply in a thread (see module doc).

    The passage is given by offsets and its text (`start`, `end`, `exact`: a selection) or,
    the keyboard way, by `quote`: words typed or pasted, found once in the text. The search
    runs only after every permission and window check has passed.
    """
    now = now or utcnow()
    if not policy.writes_comments(user):
        raise NotAllowed("Observers read comments but do not write them.")
    body = checked_body(body)
    if parent_id is not None:
        return _create_reply(
            session, user, provision, body, parent_id, consultation_id, internal, now
        )
    if version_id is None:
        raise BadInput("'version_id' is required: the version the passage was selected on.")
    version = access.version_for(session, user, version_id)
    if version.provision_id != provision.id:
        raise BadInput("That version is not a version of this provision.")
    if version.removed:
        raise Unprocessable("The provision was removed at that version: no text to comment on.")
    consultation = _consultation_for_root(session, user, version, consultation_id, now)
    if quote is not None:
        start, end, exact = _located(version.text, quote)
    if exact is None:
        raise BadInput("'exact' is required: the text of the passage, to check the offsets.")
    if not isinstance(exact, str):
        raise BadInput("'exact' must be text.")
    try:
        quote = quote_for(version.text, start, end, exact)
    except AnchorError as e:
        raise BadInput(str(e)) from None
    comment = on_passage(version, quote, body, user.id, consultation, created_at=now)
    session.add(comment)
    audit.record(
        session,
        user,
        "comment.create",
        comment,
        f"on {version.title}: {quote.exact[:80]}",
        provision.instrument_id,
    )
    anchoring.place_new_comment(session, comment)
    return comment


def on_passage(
    version: Version,
    quote: Quote,
    body: str,
    author_id: int,
    consultation: Consultation | None,
    **extra,
) -> Comment:
    """A new thread on a passage of `version` (not yet added to the session): internal to the
    drafting side, or in `consultation`. Every way of making one (the page, the API, a Word
    file's comments, the demo) builds it here."""
    return Comment(
        provision_id=version.provision_id,
        version_id=version.id,
        start=quote.start,
        end=quote.end,
        exact=quote.exact,
        prefix=quote.prefix,
        suffix=quote.suffix,
        body=body,
        author_id=author_id,
        visibility="consultation" if consultation else "internal",
        consultation_id=consultation.id if consultation else None,
        **extra,
    )


def _located(text: str, quote: object) -> tuple[int, int, str]:
    if not isinstance(quote, str):
        raise BadInput("The quoted words must be text.")
    if len(quote) > MAX_QUOTE:
        raise TooLarge(
            f"The quoted words have {len(quote):,} characters; the limit is "
            f"{MAX_QUOTE:,}. Quote a few words of the passage."
        )
    try:
        start, end = locate(text, quote)
    except PassageNotFound as e:
        raise BadInput(str(e)) from None
    return start, end, text[start:end]


def _create_reply(
    session: Session,
    user: User,
    provision: Provision,
    body: str,
    parent_id: int,
    consultation_id: int | None,
    internal: bool,
    now: datetime,
) -> Comment:
    parent = get_comment(session, user, parent_id)
    root = parent.parent if parent.parent_id is not None else parent
    if root.provision_id != provision.id:
        raise BadInput("That comment is on another provision.")
    if root.withdrawn:
        raise Unprocessable("That comment was withdrawn by its author; it takes no replies.")
    if consultation_id is not None and consultation_id != root.consultation_id:
        raise BadInput("A reply is posted in its thread's consultation; leave out consultation_id.")
    if not policy.may_reply(user, root, now):
        _refused(user, root.consultation, now, "replying")
    consultation = root.consultation
    if internal and policy.writes_internal(user):
        consultation = None
    reply = Comment(
        provision_id=root.provision_id,
        version_id=root.version_id,
        parent_id=root.id,
        body=body,
        author_id=user.id,
        created_at=now,
        visibility="consultation" if consultation else "internal",
        consultation_id=consultation.id if consultation else None,
    )
    session.add(reply)
    audit.record(
        session,
        user,
        "comment.reply",
        reply,
        f"reply to comment {root.id}",
        provision.instrument_id,
    )
    announcements.replied(session, reply, root, user)
    return reply


def check_may_change(user: User, comment: Comment, now: datetime, doing: str) -> None:
    """policy.may_change_comment, with the reason when it refuses."""
    if policy.may_change_comment(user, comment, now):
        return
    if comment.author_id != user.id:
        raise NotAllowed(f"Only its author can {doing} a comment.")
    if comment.withdrawn:
        raise Conflict("This comment was withdrawn.")
    _refused(user, comment.consultation, now, doing)


def edit_comment(
    session: Session, user: User, comment: Comment, body: object, now: datetime | None = None
) -> Comment:
    """The author rewrites their comment; the passage stays the same."""
    now = now or utcnow()
    check_may_change(user, comment, now, "edit")
    comment.body = checked_body(body)
    comment.edited_at = now
    audit.record(session, user, "comment.edit", comment, "", comment.provision.instrument_id)
    return comment


def withdraw_comment(
    session: Session, user: User, comment: Comment, now: datetime | None = None
) -> Comment:
    """The author withdraws their comment: kept and marked, never deleted."""
    now = now or utcnow()
    check_may_change(user, comment, now, "withdraw")
    comment.deleted_at = now
    audit.record(session, user, "comment.withdraw", comment, "", comment.provision.instrument_id)
    return comment


def _thread_root(user: User, comment: Comment) -> Comment:
    if not policy.may_decide(user, comment):
        raise NotAllowed("Only drafters and the secretariat decide on comments.")
    if comment.parent_id is not None:
        raise BadInput("Decisions are recorded on the thread's first comment, not on a reply.")
    return comment


def set_status(session: Session, user: User, comment: Comment, status: str) -> Comment:
    """Resolve or reopen a thread."""
    root = _thread_root(user, comment)
    if status not in ("open", "resolved"):
        raise BadInput("A thread is 'open' or 'resolved'.")
    root.status = status
    audit.record(
        session,
        user,
        f"comment.{'resolve' if status == 'resolved' else 'reopen'}",
        root,
        "",
        root.provision.instrument_id,
    )
    return root


def record_disposition(
    session: Session,
    user: User,
    comment: Comment,
    disposition: str | None,
    reason: object = "",
    resolve: bool = True,
) -> Comment:
    """What the drafters did with a comment, and why; an empty disposition clears it."""
    root = _thread_root(user, comment)
    disposition = disposition or None
    if disposition is not None and disposition not in DISPOSITIONS:
        raise BadInput(f"A disposition is one of: {', '.join(DISPOSITIONS)}.")
    reason = "" if reason in (None, "") else checked_body(reason, MAX_REASON, "The reason")
    if disposition is None and reason:
        raise BadInput("Choose a disposition for the reason to go with.")
    root.disposition, root.disposition_reason = disposition, reason
    if resolve and disposition is not None:
        root.status = "resolved"
    event = audit.record(
        session,
        user,
        "comment.disposition",
        root,
        f"{disposition or 'cleared'}: {reason[:200]}",
        root.provision.instrument_id,
    )
    announcements.decided(session, root, user, event.id)
    return root
