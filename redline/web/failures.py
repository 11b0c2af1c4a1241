"""One way for a view to answer a write the services refused (a ServiceError): roll the session
back, so nothing of the attempt is kept, then answer as that form needs (flash and go back, show
the page again with the error, or an error beside an htmx form).

Only the block inside `refused_with` is covered: a lookup before it (an unknown id, a page this
person may not open) keeps its own answer from redline.errors (404, 403, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import abort, flash, make_response, redirect, url_for
from flask.typing import ResponseReturnValue

from redline.extensions import db
from redline.services.errors import ServiceError
from redline.web.rendering import wants_fragment

Answer = Callable[[ServiceError], ResponseReturnValue]


@contextmanager
def refused_with(answer: Answer, fragment_only: bool = False) -> Iterator[None]:
    """Run the block; if a service refuses, roll back and stop the view with `answer(error)`.

    With `fragment_only`, only htmx requests get `answer`: a plain form post gets the error
    page with the error's status (redline.errors), as before it had a form to show it beside.
    """
    try:
        yield
    except ServiceError as error:
        if fragment_only and not wants_fragment():
            raise
        db.session.rollback()
        # abort() with a response stops the view and sends exactly that response.
        abort(make_response(answer(error)))


def flash_and_redirect(endpoint: str, **values: object) -> Answer:
    """The usual answer of a form on a page: the error as a flash message, back to `endpoint`."""

    def answer(error: ServiceError) -> ResponseReturnValue:
        flash(error.message, "error")
        return redirect(url_for(endpoint, **values))

    return answer
