"""Who may do what: every access rule of Redline, each written once, here.

Services, views, the API, `role_required` and the templates (through `Can`, the `can` object
of the template context) ask these functions; nothing else decides a permission. A rule that
filters lists is also given as one SQL condition (`*_clause`), built from the same sub-rules,
so a page, the API, the Word export and the compilation change together when a rule changes.

The people (User.role): the secretariat manages (accounts, meetings, consultations, imports,
the audit trail) and drafts; drafters draft (record versions, decide on comments, write
internal comments); observers read everything the drafting side reads and write nothing;
stakeholders, each in one category, read only text a consultation published and comment on it
while the consultation is open for their category. Anything a person may not see answers 404,
so ids reveal nothing; a role that may never use an endpoint gets 403.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from redline.models import Comment, Consultation, Meeting, User, utcnow

# The role groups (User.role values). Change who belongs to a group here and nowhere else.
SECRETARIAT = ("secretariat",)
EDITORS = ("secretariat", "drafter")
DRAFTING_SIDE = ("secretariat", "drafter", "observer")
WRITERS = ("secretariat", "drafter", "stakeholder")
STAKEHOLDERS = ("stakeholder",)


# --- Roles -------------------------------------------------------------------------------------


def manages(user: User) -> bool:
    """May-manage: accounts, meetings, consultations, imports, the audit trail."""
    return user.role in SECRETARIAT


def drafts(user: User) -> bool:
    """An editor: records versions, decides on comments (status, disposition)."""
    return user.role in EDITORS


def reads_drafts(user: User) -> bool:
    """The drafting side reads every meeting's text, published or not."""
    return user.role in DRAFTING_SIDE


def writes_comments(user: User) -> bool:
    """May comment at all (observers read comments, they never write them)."""
    return user.role in WRITERS


def is_stakeholder(user: User) -> bool:
    """Comments only in consultations, within their category's window."""
    return user.role in STAKEHOLDERS


def writes_internal(user: User) -> bool:
    """May write a comment or reply the drafting group alone sees."""
    return drafts(user)


def reads_compilations(user: User) -> bool:
    """May read every consultation's compilation of comments (page, CSV, Word), published
    or not."""
    return reads_drafts(user)


def sees_thread_status(user: User) -> bool:
    """Sees "resolved" as the drafting side means it (worked on, not accepted); others see
    "under consideration" until the outcome is published."""
    return reads_drafts(user)


def sees_import_sources(user: User) -> bool:
    """Where a meeting's text was imported from (a file path, a commit): the secretariat's
    business; other readers would only be puzzled by it."""
    return manages(user)


def sees_drafting_record(user: User) -> bool:
    """Sees a version as recorded (meeting, author, message, merge), not the published view."""
    return reads_drafts(user)


# --- Published, open ---------------------------------------------------------------------------


def has_opened(consultation, now: datetime):
    """ "Published": the consultation's window has opened, so its meeting's text is public to
    stakeholders. Over a loaded Consultation a bool; over the class (or an alias) a SQL
    condition: the same expression serves both."""
    return consultation.opens_at <= now


def window_state(consultation: Consultation, category: str | None, now: datetime) -> str:
    """Where one category stands in one consultation: "upcoming", "open" or "closed"."""
    if not has_opened(consultation, now):
        return "upcoming"
    return "open" if now < consultation.closes_at_for(category) else "closed"


def open_for(consultation: Consultation | None, category: str | None, now: datetime) -> bool:
    """The consultation takes this category's comments now."""
    return consultation is not None and window_state(consultation, category, now) == "open"


def published_meetings(now: datetime | None = None) -> sa.Select:
    """Ids of meetings whose text a consultation has published (a subquery)."""
    return sa.select(Consultation.meeting_id).where(has_opened(Consultation, now or utcnow()))


def published_instruments(now: datetime | None = None) -> sa.Select:
    """Ids of instruments some of whose text a consultation has published (a subquery)."""
    return sa.select(Consultation.instrument_id).where(has_opened(Consultation, now or utcnow()))


# --- Reading -----------------------------------------------------------------------------------


def may_read_consultation(user: User, consultation: Consultation, now: datetime) -> bool:
    """Stakeholders know of a consultation once it has opened; the drafting side of all."""
    return reads_drafts(user) or has_opened(consultation, now)


def consultation_clause(user: User, now: datetime):
    """may_read_consultation as a condition on Consultation."""
    return sa.true() if reads_drafts(user) else has_opened(Consultation, now)


# --- Seeing comments ---------------------------------------------------------------------------


def sees_internal_comments(user: User) -> bool:
    """Internal comments (drafting group only) reach the drafting side and nobody else."""
    return reads_drafts(user)


def sees_every_consultation_comment(user: User) -> bool:
    """Every comment made in a consultation, whatever its category and sharing setting."""
    return reads_drafts(user)


def sees_withdrawn_text(user: User) -> bool:
    """A withdrawn comment stays listed (marked); its words only for the drafting side."""
    return reads_drafts(user)


def sees_dispositions(user: User) -> bool:
    """The drafters' decision on every comment and its reason, before the outcome is published."""
    return reads_drafts(user)


# --- The outcome of a consultation -------------------------------------------------------------


def outcome_published(consultation: Consultation | None) -> bool:
    """The secretariat has published the outcome: the compilation with dispositions and reasons
    is public to everyone in the consultation."""
    return consultation is not None and consultation.outcome_published_at is not None


def may_see_disposition(user: User, comment: Comment) -> bool:
    """A disposition and its reason: the drafting side always; anyone else who can see the
    comment once its consultation's outcome is published."""
    return sees_dispositions(user) or outcome_published(comment.consultation)


def may_read_compilation(user: User, consultation: Consultation, now: datetime) -> bool:
    """The compilation of one consultation: the drafting side always; everyone who may read
    the consultation once its outcome is published."""
    return reads_compilations(user) or (
        outcome_published(consultation) and may_read_consultation(user, consultation, now)
    )


def compilation_clause(user: User, consultation: Consultation):
    """The comments compiled for `user`: a published outcome compiles every consultation
    comment for everyone; before that, those the reader may see (comment_clause)."""
    return sa.true() if outcome_published(consultation) else comment_clause(user)


def outcome_refusal(user: User, consultation: Consultation, now: datetime) -> str | None:
    """Why the outcome may not be published now (None: it may). The secretariat publishes,
    once, after every category's window has closed, so the compilation is final."""
    if not manages(user):
        return "Only the secretariat publishes the outcome of a consultation."
    if outcome_published(consultation):
        return "The outcome of this consultation is already published."
    categories = [None, *(d.category for d in consultation.deadlines)]
    if any(window_state(consultation, c, now) != "closed" for c in categories):
        return "The outcome can be published once the consultation has closed for every category."
    return None


def comment_clause(user: User, now: datetime | None = None):
    """May-see-comment, as a condition on Comment. In a consultation that has opened, a
    participant sees their own comments, the comments in threads they started (the answers to
    them), the drafting side's thread starts (its questions to participants), and everyone's
    comments when the consultation shows comments to all; the drafting side sees every one."""
    internal = sees_internal_comments(user)
    if internal and sees_every_consultation_comment(user):
        return sa.true()
    if sees_every_consultation_comment(user):
        consulted = sa.true()
    else:
        root = aliased(Comment)
        opened = sa.select(Consultation.id).where(has_opened(Consultation, now or utcnow()))
        shared = sa.select(Consultation.id).where(Consultation.comments_visible.is_(True))
        drafting_side = sa.select(User.id).where(User.role.in_(DRAFTING_SIDE))
        thread_author = (
            sa.select(root.author_id).where(root.id == Comment.parent_id).scalar_subquery()
        )
        consulted = sa.and_(
            Comment.consultation_id.in_(opened),
            sa.or_(
                Comment.author_id == user.id,
                thread_author == user.id,
                Comment.consultation_id.in_(shared),
                sa.and_(Comment.parent_id.is_(None), Comment.author_id.in_(drafting_side)),
            ),
        )
    consultation_comments = sa.and_(Comment.visibility == "consultation", consulted)
    if not internal:
        return consultation_comments
    return sa.or_(Comment.visibility == "internal", consultation_comments)


def may_see_comment(session: Session, user: User, comment: Comment) -> bool:
    """comment_clause for one comment (one query; none when the reader sees every comment)."""
    if sees_internal_comments(user) and sees_every_consultation_comment(user):
        return True
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(Comment.id == comment.id, comment_clause(user))
        )
        == 1
    )


# --- Being told (notifications) ------------------------------------------------------------------


def told_of_consultation(user: User, consultation: Consultation, now: datetime) -> bool:
    """Told that a consultation opened, or that its deadline nears: a stakeholder whose
    category it is open for now (a closed window is no news; the drafting side is told of
    the published draft instead)."""
    return is_stakeholder(user) and open_for(consultation, user.category, now)


def told_of_drafts(user: User) -> bool:
    """Told of a new draft imported or published: the drafting side, which reads every draft."""
    return reads_drafts(user)


def reads_meeting_text(user: User, published: bool) -> bool:
    """May read a meeting's text: the drafting side always, others once a consultation
    published it (`published`: the meeting is in published_meetings())."""
    return reads_drafts(user) or published


def shows_presence(user: User) -> bool:
    """Is shown as "editing since ..." while a provision's editor is open: the editors."""
    return drafts(user)


def sees_presence(user: User) -> bool:
    """Sees who is editing what: the drafting side; stakeholders never see drafters at work."""
    return reads_drafts(user)


# --- Writing and deciding ----------------------------------------------------------------------


def may_write_in(user: User, consultation: Consultation | None, now: datetime) -> bool:
    """May write in this consultation now (None: internally). Editors always may; a
    stakeholder only in a consultation open for their category; observers never."""
    if consultation is None:
        return writes_internal(user)
    return drafts(user) or (writes_comments(user) and open_for(consultation, user.category, now))


def may_comment(user: User, version, consultation: Consultation | None, now: datetime) -> bool:
    """May start a thread on a passage of `version`, in `consultation` (None: internal)."""
    return not version.removed and may_write_in(user, consultation, now)


def may_reply(user: User, root: Comment, now: datetime) -> bool:
    """May answer in the thread `root` starts (posted in the thread's consultation)."""
    return not root.withdrawn and may_write_in(user, root.consultation, now)


def may_change_comment(user: User, comment: Comment, now: datetime) -> bool:
    """Edit or withdraw: the author only, never once withdrawn, a stakeholder only while the
    consultation is still open for them (the compilation must not change after the deadline)."""
    return (
        comment.author_id == user.id
        and not comment.withdrawn
        and may_write_in(user, comment.consultation, now)
    )


def may_decide(user: User, comment: Comment | None = None) -> bool:
    """Resolve or reopen a thread, record a disposition."""
    return drafts(user)


# --- Drafting ----------------------------------------------------------------------------------


def may_edit(user: User, open_meeting: Meeting | None) -> bool:
    """May-edit a provision (record a version, add, move, remove): an editor, while the
    instrument's newest meeting is open (`open_meeting`, None when every meeting is closed)."""
    return drafts(user) and open_meeting is not None and open_meeting.is_open


class Can:
    """The policy as templates ask it: `can.edit(open_meeting)`, `can.reply(comment)`...
    One per rendered page, for the signed-in person, at one instant."""

    def __init__(self, user: User, now: datetime | None = None) -> None:
        self.user = user
        self.now = now or utcnow()

    def _role(self, rule) -> bool:
        return self._signed_in and rule(self.user)

    @property
    def _signed_in(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def manage(self) -> bool:
        return self._role(manages)

    @property
    def draft(self) -> bool:
        return self._role(drafts)

    @property
    def read_drafts(self) -> bool:
        return self._role(reads_drafts)

    @property
    def write_comments(self) -> bool:
        return self._role(writes_comments)

    @property
    def write_internal(self) -> bool:
        return self._role(writes_internal)

    @property
    def is_stakeholder(self) -> bool:
        return self._role(is_stakeholder)

    @property
    def read_compilations(self) -> bool:
        return self._role(reads_compilations)

    @property
    def see_internal(self) -> bool:
        return self._role(sees_internal_comments)

    def edit(self, open_meeting: Meeting | None) -> bool:
        return self._signed_in and may_edit(self.user, open_meeting)

    def reply(self, root: Comment) -> bool:
        return self._signed_in and may_reply(self.user, root, self.now)

    def change(self, comment: Comment) -> bool:
        return self._signed_in and may_change_comment(self.user, comment, self.now)

    def decide(self, comment: Comment) -> bool:
        return self._signed_in and may_decide(self.user, comment)

    def see_withdrawn_text(self, comment: Comment) -> bool:
        return self._role(sees_withdrawn_text)

    def see_disposition(self, comment: Comment) -> bool:
        return self._signed_in and may_see_disposition(self.user, comment)

    @property
    def see_import_sources(self) -> bool:
        return self._role(sees_import_sources)

    @property
    def see_thread_status(self) -> bool:
        return self._role(sees_thread_status)

    def read_compilation(self, consultation: Consultation) -> bool:
        return self._signed_in and may_read_compilation(self.user, consultation, self.now)

    def publish_outcome(self, consultation: Consultation) -> bool:
        return self._signed_in and outcome_refusal(self.user, consultation, self.now) is None

    def outcome_published(self, consultation: Consultation | None) -> bool:
        return outcome_published(consultation)
