"""Reading ids and return addresses from requests: one strict definition for every view.

An id is 1 to 10 ASCII digits within the 32-bit id columns ('²' passes str.isdigit() but not
int(), and a larger number would overflow PostgreSQL's integer). A value that is present but
malformed is bad input (400), never silently treated as absent.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request, url_for

from redline.services.errors import BadInput

MAX_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")
# Browsers drop tabs and newlines inside URLs ('/\t/evil' becomes '//evil'), and treat a
# backslash like a slash: a safe return address has none of them.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def parse_id(raw: str | None, name: str, overflow_names_nothing: bool = False) -> int | None:
    """None for an absent or empty value; the id; or BadInput naming the field.

    With `overflow_names_nothing`, a well-formed number too large for an id column is 0, an id
    no row has, so the caller's own lookup answers "no such ..." as for any unknown id.
    """
    if raw is None or raw == "":
        return None
    if not _ID.fullmatch(raw) and not (overflow_names_nothing and raw.isascii() and raw.isdigit()):
        raise BadInput(f"'{name}' must be a whole number from 0 to {MAX_ID}.")
    value = int(raw)
    if value > MAX_ID:
        if overflow_names_nothing and len(raw) <= 18:
            return 0
        raise BadInput(f"'{name}' must be a whole number from 0 to {MAX_ID}.")
    return value


def arg_id(name: str) -> int | None:
    return parse_id(request.args.get(name), name)


def arg_flag(name: str) -> bool | None:
    """A yes/no query argument: "1" or "0"; None when absent or empty; else bad input."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in ("0", "1"):
        raise BadInput(f"'{name}' must be 0 or 1.")
    return raw == "1"


def form_id(name: str) -> int | None:
    """An id chosen in a form (a hidden field or a select): unknown ones are simply not found."""
    return parse_id(request.form.get(name), name, overflow_names_nothing=True)


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """A same-site path to return to, or the fallback: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        if not _UNSAFE_IN_PATH.search(target):
            parts = urlsplit(target)
            if not parts.scheme and not parts.netloc:
                return target
    return fallback or url_for("instruments.index")


def form_number(name: str) -> int | None:
    """A whole number typed or computed in a form (an offset): out of range is bad input."""
    return parse_id(request.form.get(name), name)
