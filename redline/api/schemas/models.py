"""Every body the JSON API answers, as pydantic models (see schemas.base; what it accepts is in
schemas.requests).

The names are the component names in /api/v1/openapi.json. Response fields have no defaults:
each is always present (null where it does not apply), as the API has always answered.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from redline.api.schemas.base import ResponseModel

Direction = Literal["ltr", "rtl"]
# Stored in UTC; the offset is shown only where the database keeps it (PostgreSQL).
STAMP = "ISO 8601 date and time, UTC"
ChangeStatus = Literal["added", "removed", "changed", "unchanged"]
# [["equal"|"insert"|"delete", text], ...]
Op = tuple[Literal["equal", "insert", "delete"], str]


class Error(ResponseModel):
    """Every error answer; some carry more."""

    model_config = {"extra": "allow"}
    error: str
    message: str
    field: str | None = Field(None, description="413: the field that is too long")
    limit: int | None = Field(None, description="413: its limit, in characters")


# --- auth -------------------------------------------------------------------------------------
class Token(ResponseModel):
    token: str


# --- reading ----------------------------------------------------------------------------------
class InstrumentRef(ResponseModel):
    id: int
    slug: str
    title: str


class InstrumentList(ResponseModel):
    items: list[InstrumentRef]


class Meeting(ResponseModel):
    id: int
    title: str
    kind: Literal["plenary", "drafting_group", "subgroup", "consultation", "other"]
    date: str = Field(json_schema_extra={"format": "date"})
    end_date: str | None = Field(json_schema_extra={"format": "date"})
    status: Literal["open", "closed"]


class ProvisionRef(ResponseModel):
    id: int
    number: str
    heading: str
    kind: str


class Instrument(ResponseModel):
    """An instrument, its meetings (chronological) and provisions (latest visible text)."""

    id: int
    slug: str
    title: str
    description: str | None
    meetings: list[Meeting]
    provisions: list[ProvisionRef]


class Note(ResponseModel):
    """A footnote or endnote; its marker stands in the text as [^marker]."""

    marker: str
    text: str
    kind: Literal["footnote", "endnote"]


class TextProvision(ResponseModel):
    id: int
    number: str
    heading: str
    kind: str
    version_id: int
    text: str
    notes: list[Note]
    direction: Direction


class InstrumentText(ResponseModel):
    """The text as of `meeting_id` (null when the reader may see no meeting), document order."""

    meeting_id: int | None
    provisions: list[TextProvision]


class Version(ResponseModel):
    id: int
    provision_id: int
    meeting_id: int
    number: str
    heading: str
    kind: str
    text: str
    notes: list[Note]
    direction: Direction
    removed: bool
    author: str | None
    created_at: str = Field(description=STAMP)
    message: str | None
    parent_id: int | None
    merged_from_id: int | None


class VersionList(ResponseModel):
    items: list[Version]


# --- drafting ---------------------------------------------------------------------------------
class SavedVersion(Version):
    merged: bool = Field(description="True when a concurrent change was merged into it")


class EditConflict(Error):
    """409: a concurrent change touched the same words (or, `no_open_meeting`, every meeting
    is closed)."""

    head_version_id: int | None = None
    head_text: str | None = None
    your_text: str | None = None
    their_ops: list[Op] | None = None
    your_ops: list[Op] | None = None


# --- redlines ---------------------------------------------------------------------------------
class Stats(ResponseModel):
    inserted_words: int
    deleted_words: int


class Diff(ResponseModel):
    ops: list[Op]
    stats: Stats
    coarse: bool = Field(
        description="True when the word diff ran past its time budget and the ops are whole "
        "sentences and lines (docs/operations.md)"
    )


class NoteChange(ResponseModel):
    """A footnote or endnote at both points, paired by marker, with the word ops inside it."""

    marker: str
    kind: Literal["footnote", "endnote"]
    status: ChangeStatus
    ops: list[Op]


class ProvisionChange(ResponseModel):
    provision_id: int
    status: ChangeStatus
    kind: str
    moved: bool
    from_version_id: int | None
    to_version_id: int | None
    from_number: str | None
    to_number: str | None
    from_heading: str | None
    to_heading: str | None
    ops: list[Op]
    stats: Stats
    direction: Direction
    notes: list[NoteChange]
    coarse: bool


class Comparison(ResponseModel):
    from_meeting_id: int | None
    to_meeting_id: int | None
    provisions: list[ProvisionChange]


# --- comments ---------------------------------------------------------------------------------
class Anchor(ResponseModel):
    status: Literal["anchored", "changed", "orphaned"]
    start: int | None
    end: int | None
    exact: str | None = Field(description="The asked version's text at the span")
    quote: str = Field(description="What was selected, on the version it was made on")


class Comment(ResponseModel):
    """One comment placed with its thread; the drafting side's decisions and withdrawn text
    stay on its side (null or empty for other readers)."""

    id: int
    parent_id: int | None
    body: str
    author: str
    organisation: str | None
    category: Literal["civil_society", "data_protection", "industry"] | None
    created_at: str = Field(description=STAMP)
    edited_at: str | None = Field(description=STAMP)
    withdrawn: bool
    version_id: int
    visibility: Literal["internal", "consultation"]
    consultation_id: int | None
    status: Literal["open", "resolved"]
    disposition: Literal["taken_into_account", "partly", "not_retained", "noted"] | None
    disposition_reason: str | None
    anchor: Anchor


class CommentList(ResponseModel):
    version_id: int
    items: list[Comment]


# --- passage history --------------------------------------------------------------------------
class WrittenRun(ResponseModel):
    """Characters [start, end) of the version's text, first written at `meeting_id` (for a
    stakeholder: the first published meeting that showed them)."""

    start: int
    end: int
    meeting_id: int
    version_id: int | None = Field(
        description="the version that wrote them; null for readers who see only published texts"
    )


class PassageHistory(ResponseModel):
    """Runs covering the version's text exactly once, in order."""

    version_id: int
    runs: list[WrittenRun]


# --- square brackets ----------------------------------------------------------------------------
class BracketPair(ResponseModel):
    start: int = Field(description="offset of the opening bracket in the version's text")
    end: int = Field(description="offset just after the closing bracket")
    text: str = Field(description="the bracketed words, brackets included")


class UnbalancedBracket(ResponseModel):
    offset: int
    char: Literal["[", "]"]


class ProvisionBrackets(ResponseModel):
    """Pairs open in the text (nested pairs listed each) and brackets without a partner; a
    note marker `[^1]` is not a bracket."""

    open: list[BracketPair]
    unbalanced: list[UnbalancedBracket]


class BracketCounts(ResponseModel):
    provision_id: int
    opened: int = Field(description="pairs in `to` not in `from`")
    closed: int = Field(description="pairs in `from` gone from `to` (kept or dropped)")
    open: int = Field(description="pairs open in `to`")


class BracketReport(ResponseModel):
    provisions: list[BracketCounts]


class SearchHit(ResponseModel):
    provision_id: int
    version_id: int
    meeting_id: int = Field(description="text: the meeting asked for; versions: where recorded")
    comment_id: int | None = Field(None, description="present for scope=comments")
    snippet: str = Field(description="plain text around the first match")


class SearchResults(ResponseModel):
    items: list[SearchHit]
