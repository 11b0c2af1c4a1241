"""Every body the JSON API accepts or answers, as pydantic models (see schemas.base).

The names are the component names in /api/v1/openapi.json. Response fields have no defaults:
each is always present (null where it does not apply), as the API has always answered.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from redline.api.schemas.base import MAX_INT, Flag, Int, RequestModel, ResponseModel, Text
from redline.services.errors import BadInput

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
class TokenRequest(RequestModel):
    email: Text("email")
    password: Text("password")


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
class VersionEdit(RequestModel):
    """A new text for the provision, made from `base_version_id`."""

    base_version_id: Int
    text: Text("text")
    heading: Text("heading") | None = None
    number: Text("number") | None = None
    message: Text("message") | None = None


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


PASSAGE = ("version_id", "start", "end", "exact")


class CommentPost(RequestModel):
    """A comment on a passage (`version_id`, `start`, `end`, `exact`: offsets in code points,
    `exact` the version's text between them), or a reply (`parent_id`: the passage fields are
    then ignored)."""

    # Either a reply (parent_id) or a comment on a passage (all four passage fields).
    model_config = {
        "json_schema_extra": {
            "anyOf": [
                {"required": ["parent_id"], "properties": {"parent_id": {"type": "integer"}}},
                {"required": list(PASSAGE)},
            ]
        }
    }

    body: Text("body")
    parent_id: Int | None = None
    version_id: Int | None = None
    start: Int | None = None
    end: Int | None = None
    exact: Text("exact") | None = None
    consultation_id: Int | None = None
    internal: Flag | None = None

    @model_validator(mode="before")
    @classmethod
    def _reply_has_no_passage(cls, data):
        if isinstance(data, dict) and data.get("parent_id") is not None:
            return {k: v for k, v in data.items() if k not in PASSAGE}
        return data

    @model_validator(mode="after")
    def _comment_has_a_passage(self):
        if self.parent_id is None:
            for name in PASSAGE:
                if getattr(self, name) is None:
                    raise BadInput(f"'{name}' is required.")
        return self


class Query(RequestModel):
    """Base of the query-string models: every parameter is an id (see contract.query)."""


QueryId = Annotated[int, Field(strict=True, ge=0, le=MAX_INT)]


class TextQuery(Query):
    meeting: QueryId | None = Field(None, description="default: the latest visible meeting")


class DiffQuery(Query):
    from_: QueryId = Field(alias="from")
    to: QueryId


class CompareQuery(Query):
    from_: QueryId | None = Field(None, alias="from", description="default: the one before")
    to: QueryId | None = Field(None, description="default: the latest visible meeting")


class CommentsQuery(Query):
    version: QueryId | None = Field(None, description="default: the newest visible version")
