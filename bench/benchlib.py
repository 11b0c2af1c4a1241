"""What the benchmarks share: an app on a given database, throwaway PostgreSQL databases, a
signed-in cookie got the way a browser gets it, medians."""

from __future__ import annotations

import http.cookiejar
import logging
import re
import statistics
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from redline import create_app  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
median = statistics.median


def make_app(url: str, key: str = "bench-secret-key"):
    class BenchConfig(Config):
        SECRET_KEY = key
        SQLALCHEMY_DATABASE_URI = url

    return create_app(BenchConfig)


def migrate(app) -> None:
    """Bring the database to the current schema with the real migrations, quietly."""
    from flask_migrate import upgrade

    logging.disable(logging.INFO)  # Alembic's progress lines are not the bench's output
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def create_database(url: str, exist_ok: bool = True) -> bool:
    """Create the PostgreSQL database named in `url`; True if it was created now."""
    name = sa.make_url(url).database
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
            if exists and not exist_ok:
                raise SystemExit(f"database {name} already exists")
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            return not exists
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    name = sa.make_url(url).database
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def signed_in_cookie(base: str, email: str, password: str) -> str:
    """Sign in through the login form (its CSRF token included) and return the Cookie header
    a browser would then send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/auth/login", timeout=30).read().decode()  # noqa: S310 - local
    token = CSRF.search(page)
    if token is None:
        raise SystemExit("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"email": email, "password": password, "csrf_token": token.group(1)}
    ).encode()
    opener.open(base + "/auth/login", data=form, timeout=30)  # noqa: S310 - local
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise SystemExit(f"signing in as {email} failed")
    return cookie


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    """Status and body of a GET, without following redirects (a redirect to the login page
    must not pass for the page itself)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local http only
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as r:  # noqa: S310 - local
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""
