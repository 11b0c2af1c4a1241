"""The documented maximum length of every text field a form or an API body may carry.

One table, checked at the door (a ``before_request`` hook) before any view, service or search
runs: a field longer than its limit is refused with 413 and a message naming the field and
the limit, and nothing else happens. The services keep their own checks (they are also called
from the CLI); this table is the outer wall, and the forms carry the same numbers as
``maxlength`` (templates read them through the ``limits`` template global).

Lengths are counted in characters (code points), as Python and the HTML ``maxlength``
attribute do. A field missing from the table gets :data:`DEFAULT_LIMIT`, so a new field is
bounded even before anyone adds it here. docs/operations.md ("Limits") lists the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, current_app, make_response, render_template, request

from redline.domain.drafts.corrections import MAX_FIELD as MAX_CORRECTIONS_FIELD
from redline.services.comments import MAX_BODY, MAX_QUOTE, MAX_REASON
from redline.services.errors import TooLarge
from redline.web.rendering import wants_fragment

# A field that is not named below: short enough for any id, flag, date or choice.
DEFAULT_LIMIT = 1_000

# Comments and their passages.
COMMENT_BODY = MAX_BODY  # a comment or a reply: 10,000
REASON = MAX_REASON  # the reason given with a disposition: 2,000
QUOTE = MAX_QUOTE  # the words typed or pasted to find a passage (the keyboard way): 2,000
EXACT = 20_000  # the text of a selected passage, checked against the version's text
PREFIX = 64  # context stored around an anchor (Comment.prefix / Comment.suffix columns)

FIELDS: dict[str, int] = {
    # comments
    "body": COMMENT_BODY,
    "reason": REASON,
    "quote": QUOTE,
    "exact": EXACT,
    "prefix": PREFIX,
    "suffix": PREFIX,
    # drafting: "text" is the provision text, MAX_TEXT_CHARS from the configuration
    "message": 500,  # Version.message
    "heading": 500,  # Version.heading
    "number": 100,  # Version.number
    # instruments, meetings, consultations
    "title": 300,  # Instrument/Consultation.title (Meeting.title is 200, checked by the service)
    "slug": 80,
    "description": 20_000,
    # accounts
    "name": 200,
    "organisation": 200,
    "email": 254,
    "password": 1_000,
    "current_password": 1_000,
    "new_password": 1_000,
    # machinery
    "csrf_token": 200,
    "next": 2_000,
    "filename": 255,
    "corrections": MAX_CORRECTIONS_FIELD,  # the import preview's corrections to the split
}

# How the refusal names a field (the others by their name).
LABELS = {
    "body": "comment",
    "reason": "reason",
    "quote": "quoted passage",
    "exact": "selected passage",
    "text": "provision text",
    "message": "edit message",
    "heading": "heading",
    "number": "number",
    "title": "title",
    "slug": "slug",
    "description": "description",
    "name": "name",
    "organisation": "organisation",
    "email": "e-mail address",
    "password": "password",
    "current_password": "current password",
    "new_password": "new password",
    "corrections": "list of corrections",
}

# Fields bounded by the request size alone: the carried upload (base64 of a .docx file).
UNBOUNDED = frozenset({"payload"})


def limit_for(name: str) -> int:
    """The maximum number of characters of the field called ``name``."""
    if name == "text":
        return int(current_app.config.get("MAX_TEXT_CHARS", 200_000))
    return FIELDS.get(name, DEFAULT_LIMIT)


def check_length(name: str, value: str, limit: int | None = None) -> None:
    """Refuse (413) a value longer than its field's limit, naming the field and the limit."""
    limit = limit_for(name) if limit is None else limit
    # A browser counts a line break in a textarea as one character; the form sends CR LF.
    length = len(value) - value.count("\r\n") if len(value) > limit else len(value)
    if length > limit:
        label = LABELS.get(name, f"field '{_shown(name)}'")
        raise TooLarge(
            f"The {label} is too long: {length:,} characters; the limit is {limit:,}. "
            "Nothing was saved.",
            code="field_too_long",
            field=_shown(name),
            limit=limit,
        )


def check_fields(pairs: Iterable[tuple[str, object]]) -> None:
    for name, value in pairs:
        if isinstance(value, str) and name not in UNBOUNDED:
            check_length(name, value)
        elif isinstance(value, list):  # a JSON array of strings, e.g. ids
            for item in value:
                if isinstance(item, str):
                    check_length(name, item)


def _shown(name: str) -> str:
    """A field name safe to echo: the name itself is user input and unbounded."""
    return name if len(name) <= 60 else name[:60] + "…"


def check_request():
    """Every query, form and top-level JSON string of this request, within its limit. An htmx
    form that names its error slot (`form_id`) gets the message beside the form, as the
    comment forms do for every other refusal (htmx swaps no 4xx answer)."""
    try:
        _check_request()
    except TooLarge as e:
        form_id = request.form.get("form_id", "") if request.method == "POST" else ""
        if not (wants_fragment() and _FORM_ID.fullmatch(form_id)):
            raise
        response = make_response(
            render_template("comments/_error.html", form_id=form_id, message=e.message)
        )
        response.headers["HX-Reswap"] = "none"
        return response
    return None


_FORM_ID = re.compile(r"[a-z0-9-]{1,60}")


def _check_request() -> None:
    check_fields(request.args.items(multi=True))
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        check_fields(request.form.items(multi=True))
    elif request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            return  # api.common.json_body answers this one clearly
        if isinstance(data, dict):
            check_fields(data.items())


def init_limits(app: Flask) -> None:
    app.before_request(check_request)
    app.jinja_env.globals["limits"] = _TemplateLimits()


class _TemplateLimits:
    """``{{ limits.body }}`` in a template: the same number the server enforces."""

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        return limit_for(name)
