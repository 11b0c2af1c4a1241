"""`flask import-text`: record a meeting's draft from a text, Markdown or Word file."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import Flask, current_app

from redline.cli.errors import one_line_errors
from redline.domain.dates import DateError, parse_day
from redline.extensions import db
from redline.models import MEETING_KINDS
from redline.services import accounts, imports, meetings, policy, uploads
from redline.services.errors import BadInput


def _date(value: str) -> date:
    try:
        return parse_day(value, "--date")
    except DateError as e:
        if e.out_of_range:
            raise BadInput(str(e)) from None
        raise BadInput(f"--date must be YYYY-MM-DD, got {value[:40]!r}.") from None


@click.command("import-text")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--instrument", "slug", required=True, help="The instrument's slug.")
@click.option("--meeting", "meeting_title", required=True, help="Title of the new meeting.")
@click.option("--date", "on", required=True, help="Date of the meeting, YYYY-MM-DD.")
@click.option("--title", help="Instrument title, when the instrument is new.")
@click.option("--kind", default="plenary", type=click.Choice(MEETING_KINDS))
@click.option("--closed", is_flag=True, help="Import the meeting closed (frozen).")
@click.option(
    "--tracked-changes",
    "tracked",
    type=click.Choice(uploads.TRACKED_CHOICES),
    help="For a .docx holding tracked changes: store the text with all of them accepted "
    "or all of them rejected. Such a file is refused without this choice.",
)
@click.option(
    "--by",
    "by_email",
    help="E-mail of the drafter or secretariat account the import is recorded under; the "
    "file's Word comments are imported as that account's internal comments.",
)
@one_line_errors
def import_text(file, slug, meeting_title, on, title, kind, closed, tracked, by_email):
    """Parse a draft into provisions and record it as a new meeting of the instrument."""
    on_date = _date(on)
    actor = None
    if by_email is not None:
        actor = accounts.user_by_email(db.session, by_email)
        if not policy.drafts(actor) or not actor.active:
            raise BadInput(f"--by {by_email}: only an active drafter or secretariat account.")
    draft = uploads.read_file(file, current_app.config["MAX_TEXT_CHARS"], tracked or "accept")
    changes = draft.word.tracked if draft.word else None
    if changes is not None and changes.any_changes and tracked is None:
        raise BadInput(
            f"{file} holds tracked changes ({changes.insertions} insertions, "
            f"{changes.deletions} deletions, {changes.moves} moves"
            + (f" by {', '.join(changes.authors)}" if changes.authors else "")
            + "): choose the text to store with --tracked-changes accept or reject. "
            "Nothing was stored."
        )
    instrument = meetings.instrument_by_slug(db.session, slug.strip().lower())
    click.echo(f"Parsed {len(draft.provisions)} provisions from {file}", err=True)
    result = imports.apply_import(
        db.session,
        instrument=instrument,
        slug=slug,
        title=title,
        meeting_title=meeting_title,
        on=on_date,
        kind=kind,
        draft=draft,
        actor=actor,
        closed=closed,
        progress=lambda msg: click.echo(msg, err=True),
    )
    db.session.commit()
    click.echo(json.dumps(result.as_json()))


def init_app(app: Flask) -> None:
    app.cli.add_command(import_text)
