"""`flask notifications due` and `flask notifications digest`: the scheduled part of telling
people (cron, or RQ's scheduler). Both are idempotent: each notification is written once per
person and event, and each is mailed once."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from redline.cli.errors import one_line_errors
from redline.extensions import db
from redline.services import announcements, notifications

group = AppGroup(
    "notifications",
    help="Tell people (consultations, deadlines, digests) and send what the outbox holds.",
)


@group.command("due")
@click.option(
    "--days",
    type=click.IntRange(0, 365),
    default=None,
    help="Remind of deadlines this many days ahead (default: NOTIFY_DEADLINE_DAYS, 3).",
)
@one_line_errors
def due(days):
    """Announce consultations that have opened and deadlines that near; prints {"told": n}."""
    told = announcements.due(db.session, days=days)
    db.session.commit()
    click.echo(json.dumps({"told": told}))


@group.command("digest")
@one_line_errors
def digest():
    """Queue each person's daily digest of what they were told; prints {"digests": n}."""
    sent = notifications.send_digests(db.session)
    db.session.commit()
    click.echo(json.dumps({"digests": sent}))


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
