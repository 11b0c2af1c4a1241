"""Shared fixtures: the app on a real database (SQLite file, or PostgreSQL via
TEST_DATABASE_URL), a session rolled back after each test, clients signed in per role."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

from config import TestConfig
from redline import create_app
from redline.extensions import db
from redline.services import accounts

ROOT = Path(__file__).resolve().parent.parent

# Password hashing at full scrypt cost would dominate the suite's run time.
accounts.HASH_METHOD = "pbkdf2:sha256:1000"

PASSWORD = "correct horse battery"
ROLES = {
    "secretariat": dict(email="sec@example.org", name="Sec Retariat", role="secretariat"),
    "drafter": dict(email="drafter@example.org", name="Dra Fter", role="drafter"),
    "drafter2": dict(email="drafter2@example.org", name="Second Drafter", role="drafter"),
    "observer": dict(email="observer@example.org", name="Ob Server", role="observer"),
    "civil": dict(
        email="civil@example.org",
        name="Civ Il",
        role="stakeholder",
        category="civil_society",
        organisation="Civil Liberties <Union>",
    ),
    "dpa": dict(
        email="dpa@example.org",
        name="Dat Aprotect",
        role="stakeholder",
        category="data_protection",
        organisation="DPA",
    ),
    "industry": dict(
        email="industry@example.org",
        name="Ind Ustry",
        role="stakeholder",
        category="industry",
        organisation="ISP Association",
    ),
}


def _database_url(tmp: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app for the whole run, its schema built by the real migrations."""
    url = _database_url(tmp_path_factory.mktemp("db"))

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        _reset_schema()
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _reset_schema() -> None:
    """Start from an empty database (a PostgreSQL test database may hold an older run)."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}"')
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks the engine per table; a test session must use its connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return (
            self.bind if self.bind is not None else super().get_bind(mapper, clause, bind, **kwargs)
        )


@pytest.fixture
def db_session(app):
    """`db.session` inside an outer transaction that is rolled back after the test.

    Commits made by views and services only release a SAVEPOINT, so each test sees a clean
    database and leaves nothing behind, on SQLite and PostgreSQL alike.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": BoundSession,
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            if outer.is_active:
                outer.rollback()
            connection.close()


@pytest.fixture
def users(db_session):
    """One account per role (and three stakeholder categories), committed in the test's
    transaction."""
    made = {
        key: accounts.create_user(db_session, password=PASSWORD, **spec)
        for key, spec in ROLES.items()
    }
    db_session.commit()
    return made


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class Auth:
    """Sign in as a role and send CSRF-protected requests like a browser would."""

    def __init__(self, client):
        self.client = client
        self._csrf: str | None = None

    def csrf_token(self) -> str:
        if self._csrf is None:
            page = self.client.get("/auth/login").get_data(as_text=True)
            m = CSRF.search(page)
            assert m, "no CSRF token on the login page"
            self._csrf = m.group(1) or m.group(2)
        return self._csrf

    def login(self, who: str = "drafter", password: str = PASSWORD, remember: bool = False):
        email = ROLES[who]["email"] if who in ROLES else who
        data = {"email": email, "password": password, "csrf_token": self.csrf_token()}
        if remember:
            data["remember"] = "on"
        return self.client.post("/auth/login", data=data)

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": self.csrf_token()})

    def post(self, url: str, data: dict | None = None, htmx: bool = False, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        headers = kw.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data=data, headers=headers, **kw)

    def htmx_get(self, url: str, **kw):
        return self.client.get(url, headers={"HX-Request": "true"}, **kw)


@pytest.fixture
def auth(client, users):
    return Auth(client)


@pytest.fixture
def token_for(db_session, users):
    """An API token for a role: `token_for("drafter")` → headers for the test client."""

    def make(who: str) -> dict[str, str]:
        token = accounts.issue_token(db_session, users[who])
        db_session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


def count_rows(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
