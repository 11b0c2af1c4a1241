"""Parsing helpers shared by the API endpoints: every bad input becomes a clear 400. The
fields themselves are checked by the request models (redline.api.schemas)."""

from __future__ import annotations

from typing import Any

from flask import request

from redline.services.errors import BadInput
from redline.web.params import parse_id


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise BadInput("Send a JSON object with Content-Type: application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting: Python's parser gives up
        raise BadInput("The JSON body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise BadInput("The body must be a JSON object.")
    return data


def query_int(name: str, required: bool = False) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        if required:
            raise BadInput(f"Query parameter '{name}' is required.")
        return None
    return parse_id(raw, f"Query parameter {name}")
