"""`flask export FILE` and `flask import FILE`: the whole database as one portable JSON file.

A backup that any Redline at the same schema revision can read back, on SQLite or PostgreSQL
(docs/operations.md says when to prefer pg_dump). Import goes only into an empty database and
writes everything or nothing.
"""

from __future__ import annotations

import json

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from redline.cli.errors import one_line_errors
from redline.extensions import db
from redline.services import backup
from redline.services.errors import BadInput


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@one_line_errors
def export_command(file):
    """Write every table of the database to FILE (JSON); prints the row counts."""
    try:
        counts = backup.export_to(db.session, file)
    except OSError as e:
        raise BadInput(f"Cannot write {file}: {e.strerror or e}.") from None
    except SQLAlchemyError as e:  # e.g. a database that was never migrated
        raise BadInput(f"Cannot read the database: {_first_line(e)}") from None
    finally:
        db.session.rollback()  # a read-only snapshot: end it
    click.echo(json.dumps({"file": file, "format_version": backup.FORMAT_VERSION, "rows": counts}))


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@one_line_errors
def import_command(file):
    """Load FILE (from `flask export`) into this empty database, all or nothing."""
    document = backup.read_document(file)
    try:
        counts = backup.import_document(db.session, document)
        db.session.commit()
    except SQLAlchemyError as e:
        raise BadInput(f"Import failed, nothing was written: {_first_line(e)}") from None
    click.echo(json.dumps({"file": file, "rows": counts}))


def init_app(app: Flask) -> None:
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
