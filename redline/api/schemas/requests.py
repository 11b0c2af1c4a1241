"""Every body and query the JSON API accepts, as pydantic models (see schemas.base)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from redline.api.schemas.base import MAX_INT, Flag, Int, RequestModel, Text
from redline.services.errors import BadInput


class TokenRequest(RequestModel):
    email: Text("email")
    password: Text("password")


class VersionEdit(RequestModel):
    """A new text for the provision, made from `base_version_id`."""

    base_version_id: Int
    text: Text("text")
    heading: Text("heading") | None = None
    number: Text("number") | None = None
    message: Text("message") | None = None


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


class HistoryQuery(Query):
    version: QueryId | None = Field(None, description="default: the newest visible version")


class BracketsQuery(Query):
    meeting: QueryId | None = Field(None, description="default: the newest visible version")


class BracketReportQuery(CompareQuery):
    pass


class SearchQuery(Query):
    """Words to find: unquoted words all occur (AND), "a phrase" exactly, `word*` as a prefix."""

    text_params: ClassVar[tuple[str, ...]] = ("q", "scope")

    q: Text("q") = Field(description='words, "a phrase", prefix*')
    scope: Literal["text", "versions", "comments"] = Field(
        "text",
        description="text: the text as of `meeting` (default: the newest the reader may see); "
        "versions: every version holding the words, oldest first; comments: the comments the "
        "reader may see",
    )
    meeting: QueryId | None = Field(
        None, description="the meeting (a filter for versions and comments)"
    )
