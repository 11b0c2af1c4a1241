"""`flask consultations create`: publish a meeting's text for consultation (API.md)."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from redline.cli.errors import one_line_errors
from redline.extensions import db
from redline.models import CATEGORIES
from redline.services import consultations, meetings
from redline.services.errors import BadInput

group = AppGroup("consultations", help="Publish text for consultation.")


def _deadlines(values: tuple[str, ...]) -> dict:
    out = {}
    for raw in values:
        category, sep, when = raw.partition("=")
        if not sep or category not in CATEGORIES:
            raise BadInput(
                f"--deadline takes CATEGORY=ISO8601 with CATEGORY one of {', '.join(CATEGORIES)}; "
                f"got {raw!r}."
            )
        if category in out:
            raise BadInput(f"Two deadlines for {category}.")
        out[category] = consultations.parse_when(when, f"The deadline for {category}")
    return out


@group.command("create")
@click.option("--instrument", "slug", required=True, help="The instrument's slug.")
@click.option(
    "--meeting-id",
    type=click.IntRange(1, 2**31 - 1),  # an id column's range: a larger number names nothing
    required=True,
    help="The meeting whose text is published.",
)
@click.option("--title", required=True)
@click.option("--opens", required=True, help="ISO 8601; a time without zone is UTC.")
@click.option("--closes", required=True, help="ISO 8601; a time without zone is UTC.")
@click.option(
    "--deadline",
    "deadline",
    multiple=True,
    metavar="CATEGORY=ISO8601",
    help="A different deadline for one stakeholder category (repeatable).",
)
@click.option("--comments-visible", is_flag=True, help="Participants see each other's comments.")
def create(slug, meeting_id, title, opens, closes, deadline, comments_visible):
    """Publish a meeting's text for comment; prints the consultation as one JSON object."""

    @one_line_errors
    def run():
        instrument = meetings.instrument_by_slug(db.session, slug)
        if instrument is None:
            raise BadInput(f"No instrument with the slug '{slug}'.")
        c = consultations.create_consultation(
            db.session,
            instrument=instrument,
            meeting_id=meeting_id,
            title=title,
            opens_at=consultations.parse_when(opens, "--opens"),
            closes_at=consultations.parse_when(closes, "--closes"),
            deadlines=_deadlines(deadline),
            comments_visible=comments_visible,
            actor=None,
        )
        db.session.commit()
        click.echo(
            json.dumps(
                {
                    "id": c.id,
                    "instrument_id": c.instrument_id,
                    "meeting_id": c.meeting_id,
                    "title": c.title,
                    "opens_at": c.opens_at.isoformat(),
                    "closes_at": c.closes_at.isoformat(),
                    "deadlines": {d.category: d.closes_at.isoformat() for d in c.deadlines},
                    "comments_visible": c.comments_visible,
                }
            )
        )

    run()


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
