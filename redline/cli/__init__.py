"""Command-line interface (`flask --app wsgi ...`), as written in the API contract: accounts and
the demo here; drafting.py, consultations.py and data.py for the rest; errors.py says how a
command fails."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from redline.cli import consultations, data, drafting, mail, notifications
from redline.cli.errors import one_line_errors
from redline.extensions import db
from redline.models import CATEGORIES, ROLES
from redline.services import accounts

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--organisation")
@click.option("--password", required=True)
@one_line_errors
def users_create(email, name, role, category, organisation, password):
    """Add an account; prints {"id", "email"}."""
    user = accounts.create_user(
        db.session,
        email=email,
        name=name,
        role=role,
        category=category,
        organisation=organisation,
        password=password,
    )
    db.session.commit()
    click.echo(json.dumps({"id": user.id, "email": user.email, "role": user.role}))


@users.command("token")
@click.argument("email")
@one_line_errors
def users_token(email):
    """Issue a new API token for an account; prints the token alone."""
    user = accounts.user_by_email(db.session, email)
    token = accounts.issue_token(db.session, user)
    db.session.commit()
    click.echo(token)


@click.command("demo")
@one_line_errors
def demo_command():
    """Load the demo data set (idempotent) and print the demo logins."""
    from redline.demo import load_demo

    logins = load_demo(db.session, progress=lambda msg: click.echo(msg, err=True))
    db.session.commit()
    click.echo("Demo logins (role, e-mail, password):")
    for login in logins:
        click.echo(f"  {login['role']:<12} {login['email']:<32} {login['password']}")


def init_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo_command)
    # Click's own usage errors already print one line and exit 2; keep them as they are.
    consultations.init_app(app)
    data.init_app(app)
    drafting.init_app(app)
    notifications.init_app(app)
    mail.init_app(app, users)
