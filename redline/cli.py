"""Command-line interface (`flask --app wsgi ...`), as written in the API contract."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps

import click
from flask import Flask
from flask.cli import AppGroup

from redline.extensions import db
from redline.models import CATEGORIES, ROLES
from redline.services import accounts
from redline.services.errors import ServiceError

users = AppGroup("users", help="Manage accounts.")


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
    from redline import cli_drafting

    cli_drafting.init_app(app)
    from redline import cli_consultations

    cli_consultations.init_app(app)
    from redline import cli_data

    cli_data.init_app(app)
