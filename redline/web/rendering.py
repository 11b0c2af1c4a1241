"""One place decides whether a request gets the whole page or just the fragment htmx swaps."""

from __future__ import annotations

from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from redline.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that is not a boosted navigation or a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(template: str, block: str, status: int = 200, **context):
    """Render `template` whole, or only its `block` for an htmx swap; caches keyed on HX-Request."""
    if wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
