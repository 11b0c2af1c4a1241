"""Redline: collaborative redlining for the people who draft treaties."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from flask import Flask
from werkzeug.routing import BaseConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error handlers."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if config is None:
        config = "config.Config"
    app.config.from_object(config)
    app.url_map.converters["int"] = IdConverter
    _check_secret_key(app)

    from redline.extensions import csrf, db, htmx, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from redline import models  # noqa: F401 - registers the tables on the metadata
    from redline.database import init_database

    init_database(app)

    from redline.security import init_security

    init_security(app)

    from redline.limits import init_limits

    init_limits(app)  # every field's maximum length, checked before any view runs

    from redline.views import register_views

    register_views(app)

    from redline.api import bp as api_bp

    app.register_blueprint(api_bp)

    from redline.errors import init_errors

    init_errors(app)

    from redline.cli import init_cli

    init_cli(app)

    from redline.templating import init_templating

    init_templating(app)

    from redline.mail.background import init_mail

    init_mail(app)  # the RQ hand-off, and the in-process sender for `make run`

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


class IdConverter(BaseConverter):
    """`<int:...>` in our URLs: ASCII digits only. A number too large for the 32-bit id
    columns becomes 0, an id no row has, so it is 'not found' like any unknown id (a converter
    that refuses it instead makes Werkzeug answer 405 when another method's rule exists)."""

    regex = r"[0-9]{1,30}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= 2**31 - 1 else 0

    def to_url(self, value: int) -> str:
        return str(int(value))


def _check_secret_key(app: Flask) -> None:
    """Refuse to run in production without a secret key; development gets a throwaway one."""
    if app.config.get("SECRET_KEY"):
        return
    if app.testing or app.config.get("DEV") or _is_cli_maintenance():
        # A per-process random key: sessions do not survive a restart, which is fine locally.
        app.config["SECRET_KEY"] = os.urandom(32).hex()
        return
    sys.stderr.write(
        "Redline: SECRET_KEY is not set. Set it in the environment, e.g.\n"
        "  export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')\n"
        "(make run sets a development key for you; REDLINE_DEV=1 allows a throwaway key).\n"
    )
    raise SystemExit(2)


def _is_cli_maintenance() -> bool:
    """`flask db upgrade`, `flask users ...` and friends sign no cookies and need no key."""
    argv = sys.argv
    return bool(argv) and Path(argv[0]).name == "flask" and "run" not in argv[1:]
