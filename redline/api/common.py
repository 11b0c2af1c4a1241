"""Parsing helpers shared by the API endpoints: every bad input becomes a clear 400."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from redline.services.errors import BadInput
from redline.web.params import parse_id

# Ids and offsets are 32-bit integer columns; a larger number is bad input, not a crash.
MAX_INT = 2**31 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


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


def field(data: dict, name: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
    value = data.get(name)
    if value is None:
        if required:
            raise BadInput(f"'{name}' is required.")
        return None
    # bool is an int in Python; an id of `true` is still wrong.
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise BadInput(f"'{name}' has the wrong type.")
    if not isinstance(value, kind):
        raise BadInput(f"'{name}' has the wrong type.")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise BadInput(f"'{name}' is out of range.")
    if isinstance(value, str) and _UNSTORABLE.search(value):
        # JSON may carry "\u0000" or a lone surrogate; no database stores either.
        raise BadInput(f"'{name}' contains a NUL character or invalid Unicode.")
    return value


def query_int(name: str, required: bool = False) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        if required:
            raise BadInput(f"Query parameter '{name}' is required.")
        return None
    return parse_id(raw, f"Query parameter {name}")
