"""How every command fails on bad input."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps

import click

from redline.extensions import db
from redline.services.errors import ServiceError


def one_line_errors(command: Callable) -> Callable:
    """Bad input: one clear line on stderr, exit status 1, and nothing written."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ServiceError as e:
            db.session.rollback()
            click.echo(f"Error: {e.message}", err=True)
            sys.exit(1)

    return wrapped
