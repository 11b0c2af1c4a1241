"""Ties each API route to its models: the OpenAPI document is generated from these
declarations, and a route can only read its declared body and query and answer its declared
models (anything else is a programming error that the tests catch).

    @bp.post("/provisions/<int:pid>/versions")
    @endpoint("Record a version", body=VersionEdit, responses={201: SavedVersion, 409: ...},
              errors=(400, 401, 403, 404, 413))
    @role_required(...)
    def create_version(pid): edit = body(); ...; return respond(SavedVersion(...), 201)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from pydantic import BaseModel

from redline.api.common import json_body, query_int
from redline.api.schemas import Error, Query, RequestModel

ERRORS = {
    400: "Bad input",
    401: "No or bad token",
    403: "Not allowed",
    404: "Not found or not visible to this user",
    409: "Conflict",
    413: "Too large",
    422: "Unprocessable",
    429: "Throttled",
}


@dataclass(frozen=True)
class Endpoint:
    summary: str
    responses: dict[int, type[BaseModel]]
    body: type[RequestModel] | None = None
    query: type[Query] | None = None
    public: bool = False  # no bearer token needed
    description: str = ""
    errors: dict[int, type[BaseModel]] = field(default_factory=dict)


def endpoint(
    summary: str,
    *,
    responses: dict[int, type[BaseModel]],
    body: type[RequestModel] | None = None,
    query: type[Query] | None = None,
    errors: tuple[int, ...] = (),
    public: bool = False,
) -> Callable:
    """Declare a route's contract (put it right under the `@bp.<method>` line)."""

    def declare(view: Callable) -> Callable:
        # 401 is implied by every route that needs a token.
        codes = set(errors) | (set() if public else {401})
        view.__api__ = Endpoint(
            summary=summary,
            responses=responses,
            body=body,
            query=query,
            public=public,
            description=(view.__doc__ or "").strip(),
            errors={c: Error for c in sorted(codes) if c not in responses},
        )
        return view

    return declare


def declared() -> Endpoint:
    return current_app.view_functions[request.endpoint].__api__


def body() -> Any:
    """This route's request body, parsed by its declared model (400/413 on bad input)."""
    model = declared().body
    return model.parse(json_body())


def query() -> Any:
    """This route's query parameters, parsed by its declared model (ids, 400 otherwise, but
    for the words the model names in `text_params`, passed as typed)."""
    model = declared().query
    values = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in getattr(model, "text_params", ()):
            values[key] = request.args.get(key) or None
        else:
            values[key] = query_int(key, required=info.is_required())
    return model.parse(values)


def respond(payload: BaseModel, status: int = 200, omit_unset: bool = False):
    """Serialise a declared response model; `omit_unset` leaves out the optional fields the
    route did not set (they are absent, not null, in that answer)."""
    expected = declared().responses.get(status)
    if expected is None or not isinstance(payload, expected):
        raise TypeError(f"{request.endpoint} answers {status} with {type(payload).__name__}")
    return current_app.response_class(
        payload.model_dump_json(by_alias=True, exclude_unset=omit_unset),
        status=status,
        mimetype="application/json",
    )
