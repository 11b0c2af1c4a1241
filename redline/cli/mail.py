"""Mail commands: `users invite`, `notifications send` (the embedded sender, for cron or by
hand) and `rq worker` (the Redis queue, when REDIS_URL is set)."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from redline.cli.errors import one_line_errors
from redline.cli.notifications import group as notifications
from redline.extensions import db
from redline.models import CATEGORIES, ROLES
from redline.services import invitations
from redline.services.mail import send_pending

rq_group = AppGroup("rq", help="The Redis queue for mail (REDIS_URL).")


def invite_command(users: click.Group) -> None:
    @users.command("invite")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--category", type=click.Choice(CATEGORIES))
    @click.option("--organisation")
    @one_line_errors
    def users_invite(email, name, role, category, organisation):
        """Create an account and send an invitation with a single-use link to set a password;
        prints {"id", "email", "role"}."""
        user = invitations.invite(
            db.session,
            email=email,
            name=name,
            role=role,
            category=category,
            organisation=organisation,
        )
        db.session.commit()
        send_pending(db.session)
        click.echo(json.dumps({"id": user.id, "email": user.email, "role": user.role}))


@notifications.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many mails.")
@one_line_errors
def notifications_send(limit):
    """Send what the outbox holds that is due (idempotent: run it from cron as often as you
    like); prints {"sent", "failed", "recovered"}."""
    from redline.mail import scheduled

    scheduled.run_scheduled(db.session)
    report = send_pending(db.session, limit=min(max(limit, 1), 10_000))
    click.echo(json.dumps(report.as_dict()))


@rq_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def rq_worker(burst):
    """Run an RQ worker for the mail queue (needs REDIS_URL)."""
    from redline.mail import queue

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: use `flask notifications send`.")
    queue.run_worker(current_app._get_current_object(), burst=burst)


def init_app(app: Flask, users: click.Group) -> None:
    invite_command(users)
    app.cli.add_command(rq_group)
