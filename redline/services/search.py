"""Search: provision text as of a meeting, every version, and the comments a reader may see.

One service over two engines (services/search_engines.py). The engine finds candidate ids;
what the reader may see is decided where it always is: access (meetings, instruments, the
default meeting), published (a stakeholder's view of versions: the first published meeting
that showed a version, never an unpublished one) and policy.comment_clause (comments).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from redline.domain.text import search_terms
from redline.domain.text.search_terms import Terms
from redline.domain.text.titles import heading_label
from redline.models import (
    CATEGORIES,
    DISPOSITIONS,
    Comment,
    Consultation,
    Meeting,
    Provision,
    User,
    Version,
)
from redline.services import access, policy, published, texts
from redline.services.errors import BadInput
from redline.services.search_engines import matching_comments, matching_versions

SCOPES = ("text", "versions", "comments")
MAX_RESULTS = 200  # a page of results; a search that finds more asks for more words


@dataclass(frozen=True)
class Filters:
    meeting_id: int | None = None
    category: str | None = None  # the comment author's stakeholder category
    disposition: str | None = None  # the drafters' decision on the comment


@dataclass(frozen=True)
class Hit:
    provision_id: int
    version_id: int
    meeting_id: int
    meeting_title: str
    title: str  # the provision's number and heading as of that version
    runs: list[tuple[str, bool]]  # the snippet: (piece, matched)
    comment_id: int | None = None

    @property
    def snippet(self) -> str:
        return search_terms.plain(self.runs)


def parse(query: str | None) -> Terms:
    try:
        return search_terms.parse(query or "")
    except search_terms.BadQuery as e:
        raise BadInput(str(e)) from None


def search(
    session: Session, reader: User, query: str | None, scope: str = "text", filters=Filters()
) -> list[Hit]:
    """What the reader may see that holds the words of `query`, in `scope`."""
    if scope not in SCOPES:
        raise BadInput(f"scope must be one of {', '.join(SCOPES)}.")
    if filters.disposition is not None and filters.disposition not in DISPOSITIONS:
        raise BadInput(f"disposition must be one of {', '.join(DISPOSITIONS)}.")
    if filters.category is not None and filters.category not in CATEGORIES:
        raise BadInput(f"category must be one of {', '.join(CATEGORIES)}.")
    terms = parse(query)
    meeting = None
    if filters.meeting_id is not None:
        meeting = access.meeting_for(session, reader, filters.meeting_id)
    if scope == "comments":
        return _comments(session, reader, terms, meeting, filters)
    if scope == "versions":
        return _versions(session, reader, terms, meeting)
    return _text(session, reader, terms, meeting)


def _version_hit(terms: Terms, v, meeting: Meeting) -> Hit:
    spans = search_terms.highlights(terms, v.text) or []
    return Hit(v.provision_id, v.id, meeting.id, meeting.title, v.title, snip(v.text, spans))


def snip(text: str, spans) -> list[tuple[str, bool]]:
    return search_terms.snippet(text, spans)


def _matched_instruments(session: Session, terms: Terms) -> set[int]:
    return set(
        session.scalars(
            sa.select(Provision.instrument_id)
            .join(Version, Version.provision_id == Provision.id)
            .where(Version.id.in_(matching_versions(session, terms)))
            .distinct()
        )
    )


def _text(session: Session, reader: User, terms: Terms, meeting: Meeting | None) -> list[Hit]:
    """The text as of `meeting`, or in each instrument as of the newest meeting the reader may
    see; the hit names that meeting."""
    if meeting is not None:
        meetings = [meeting]
    else:
        meetings = []
        for iid in sorted(_matched_instruments(session, terms)):
            shown = access.visible_meetings(session, reader, iid)
            if shown:
                meetings.append(shown[-1])
    hits: list[Hit] = []
    for m in meetings:
        matched = set(
            session.scalars(
                sa.select(Version.id)
                .join(Meeting, Version.meeting_id == Meeting.id)
                .where(
                    Meeting.instrument_id == m.instrument_id,
                    Version.id.in_(matching_versions(session, terms)),
                )
            )
        )
        for v in texts.versions_as_of(session, m):
            if v.id in matched:
                hits.append(_version_hit(terms, v, m))
    return hits[:MAX_RESULTS]


def _versions(session: Session, reader: User, terms: Terms, meeting: Meeting | None) -> list[Hit]:
    """Every version holding the words, oldest first, each with the meeting that recorded it
    (a stakeholder: the first published meeting that showed it)."""
    versions = list(
        session.scalars(
            sa.select(Version)
            .join(Meeting, Version.meeting_id == Meeting.id)
            # A removal is recorded as a version, but it holds no words of the text any more.
            .where(Version.id.in_(matching_versions(session, terms)), Version.removed.is_(False))
            .options(joinedload(Version.meeting), joinedload(Version.provision))
            .order_by(Meeting.date, Meeting.position, Version.id)
        )
    )
    if not policy.sees_drafting_record(reader):
        cache: dict = {}
        readable = access.visible_instruments(session, reader)
        allowed = {i.id for i in readable}
        shown = []
        for v in versions:
            if v.provision.instrument_id not in allowed:
                continue
            if v.provision_id not in cache:
                history = published.shown_history(session, reader, v.provision)
                cache[v.provision_id] = {s.id: s for s in history}
            if v.id in cache[v.provision_id]:
                shown.append(cache[v.provision_id][v.id])
        shown.sort(key=lambda s: (s.meeting.date, s.meeting.position, s.id))
        versions = shown
    if meeting is not None:
        versions = [v for v in versions if v.meeting.id == meeting.id]
    return [_version_hit(terms, v, v.meeting) for v in versions[:MAX_RESULTS]]


def comment_meeting():
    """The meeting a comment belongs to: its consultation's (the published text it was made
    on), or for an internal comment the meeting that recorded its version."""
    return sa.func.coalesce(Consultation.meeting_id, Version.meeting_id)


def _comments(
    session: Session, reader: User, terms: Terms, meeting: Meeting | None, filters: Filters
) -> list[Hit]:
    author = aliased(User)  # the comment's author, for the category filter
    where_meeting = comment_meeting()
    # Columns, not entities: a page of hits loads no version texts.
    stmt = (
        sa.select(
            Comment.id,
            Comment.provision_id,
            Comment.body,
            Version.id,
            Version.number,
            Version.heading,
            Version.kind,
            Meeting.id,
            Meeting.title,
        )
        .join(Version, Comment.version_id == Version.id)
        .outerjoin(Consultation, Comment.consultation_id == Consultation.id)
        .join(Meeting, Meeting.id == where_meeting)
        .where(
            Comment.id.in_(matching_comments(session, terms)),
            Comment.deleted_at.is_(None),
            policy.comment_clause(reader),
        )
        .order_by(Comment.created_at, Comment.id)
        .limit(MAX_RESULTS)
    )
    if meeting is not None:
        stmt = stmt.where(where_meeting == meeting.id)
    if filters.category:
        stmt = stmt.join(author, author.id == Comment.author_id).where(
            author.category == filters.category
        )
    if filters.disposition and policy.sees_dispositions(reader):
        stmt = stmt.where(Comment.disposition == filters.disposition)
    hits = []
    for cid, pid, body, vid, number, heading, kind, mid, mtitle in session.execute(stmt).all():
        title = heading_label(number, heading, kind) or "(untitled)"  # as Version.title
        runs = snip(body, search_terms.highlights(terms, body) or [])
        hits.append(Hit(pid, vid, mid, mtitle, title, runs, comment_id=cid))
    return hits


@dataclass(frozen=True)
class Group:
    """The hits on one provision, as the search page lists them."""

    provision_id: int
    title: str
    hits: list[Hit]


def grouped(hits: list[Hit]) -> list[Group]:
    """Hits grouped by provision, in the order each provision first appears."""
    groups: dict[int, Group] = {}
    for h in hits:
        groups.setdefault(h.provision_id, Group(h.provision_id, h.title, [])).hits.append(h)
    return list(groups.values())


@dataclass(frozen=True)
class Choices:
    """What the filters of the search page offer this reader."""

    meetings: list[tuple[str, list[Meeting]]]  # (instrument title, its meetings)
    categories: tuple[str, ...]
    dispositions: tuple[str, ...]  # empty for readers who may not see dispositions


def choices(session: Session, reader: User) -> Choices:
    instruments = access.visible_instruments(session, reader)
    shown = access.meetings_shown(session, reader, instruments)
    return Choices(
        meetings=[(i.title, shown[i.id]) for i in instruments if shown[i.id]],
        categories=CATEGORIES,
        dispositions=DISPOSITIONS if policy.sees_dispositions(reader) else (),
    )


def page(
    session: Session, reader: User, query: str, scope: str, filters: Filters
) -> tuple[list[Group], str | None]:
    """The search page's results (none when nothing was asked) or why the query was refused:
    a refused search changes nothing, so the page shows the reason beside the box."""
    if not query.strip():
        return [], None
    try:
        return grouped(search(session, reader, query, scope, filters)), None
    except BadInput as e:
        return [], e.message
