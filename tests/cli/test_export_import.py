"""`flask export` / `flask import`: a whole database survives the round trip into a second,
fresh database exactly; bad files and non-empty targets are refused with one line, nothing
written."""

from __future__ import annotations

import json
import os
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from redline import create_app
from redline.extensions import db
from redline.models import (
    Comment,
    LoginFailure,
    Meeting,
    NotificationPreference,
    Presence,
    User,
    Version,
    utcnow,
)
from redline.services import (
    accounts,
    backup,
    consultations,
    meetings,
    passage_history,
    redlines,
    sign_in,
    texts,
    versions,
)
from redline.services.mail import queue_mail
from tests.conftest import PASSWORD, count_rows

ROOT = Path(__file__).resolve().parents[2]


def add_more_rows(session) -> None:
    """Rows the demo does not make, so that every table and every kind of value is exported:
    a token, a sign-in session, a login failure, a cached redline and passage history, a
    per-category deadline, a reply (a row that refers to its own table), an edited and a
    withdrawn comment, a meeting with an end date, a drafter's edit, and text that JSON must
    escape."""
    drafter = accounts.user_by_email(session, "drafter@demo.redline")
    accounts.issue_token(session, drafter)
    session.add(LoginFailure(key="client:192.0.2.1"))
    sign_in.start_session(session, drafter)
    queue_mail(  # an outbox row, with its JSON headers
        session,
        to=drafter,
        subject="Consultation «opened»",
        text='Line one\nline "two"',
        html="<p>Line one</p>",
        kind="notification",
        key="export-test",
        headers={"List-Unsubscribe": "<https://example.org/u/1>"},
    )
    gpl = meetings.instrument_by_slug(session, "gplv3")
    latest = meetings.latest_meeting(session, gpl.id)
    text = texts.versions_as_of(session, latest)
    first = session.scalar(
        sa.select(Meeting).where(Meeting.instrument_id == gpl.id, Meeting.position == 0)
    )
    old = texts.version_as_of(session, text[3].provision_id, first)
    redlines.ops_between(session, old, text[3])
    passage_history.history_of(session, drafter, text[3])  # a passage history cache row
    saved = versions.record_edit(
        session,
        text[5].provision,
        base_version_id=text[5].id,
        author=drafter,
        text=text[5].text + '\n\n"Quoted" — ünïcødé ✓ <tag> & \\ backslash\ttab',
        max_chars=10**6,
        message="Edited for the export test",
    )
    now = utcnow()
    consultations.create_consultation(
        session,
        instrument=gpl,
        meeting_id=latest.id,
        title="Consultation on the final text",
        opens_at=now,
        closes_at=now + timedelta(days=30),
        deadlines={"industry": now + timedelta(days=40)},
        actor=None,
    )
    root = session.scalar(sa.select(Comment).where(Comment.parent_id.is_(None)).limit(1))
    session.add(
        Comment(
            provision_id=root.provision_id,
            version_id=root.version_id,
            parent_id=root.id,
            body="A reply.",
            author_id=drafter.id,
            edited_at=now,
            deleted_at=now + timedelta(minutes=5),
        )
    )
    # A notification choice and someone editing: every table has a row to compare.
    session.add(NotificationPreference(user_id=drafter.id, kind="reply", delivery="daily"))
    session.add(Presence(user_id=drafter.id, provision_id=root.provision_id, since=now))
    budapest = meetings.instrument_by_slug(session, "budapest-convention")
    meetings.create_meeting(
        session,
        budapest,
        title="Plenary (two days)",
        kind="plenary",
        on=date(2002, 3, 4),
        end=date(2002, 3, 5),
        actor=drafter,
    )
    assert saved.version.parent_id is not None
    session.commit()


@pytest.fixture
def loaded(runner, db_session):
    r = runner.invoke(args=["demo"])
    assert r.exit_code == 0, r.output
    add_more_rows(db_session)


@contextmanager
def fresh_database(tmp_path: Path):
    """The URL of a second, empty database: a temporary SQLite file, or on PostgreSQL a
    temporary database created through the maintenance database and dropped afterwards."""
    test_url = os.environ.get("TEST_DATABASE_URL")
    if not test_url:
        yield f"sqlite:///{tmp_path / 'second.sqlite3'}"
        return
    url = sa.make_url(test_url)
    name = f"redline_import_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def second_app(url: str):
    """Another application on `url`, its schema built by the real migrations, with its own
    `db.session`: the suite's db_session fixture points the shared one at the first database."""
    from flask_migrate import upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    bound = db.session
    db.session = db._make_scoped_session({})
    try:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        yield app
    finally:
        db.session = bound
        with app.app_context():
            db.engine.dispose()


def test_round_trip_into_a_fresh_database_is_exact(runner, loaded, tmp_path):
    first = tmp_path / "first.json"
    r = runner.invoke(args=["export", str(first)])
    assert r.exit_code == 0, r.output
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["format_version"] == backup.FORMAT_VERSION
    assert exported["alembic_revision"] == backup.revision(db.session.connection())
    # Every table, parents first, every column, at least one row each (so every kind of value
    # is part of the comparison).
    assert [t["name"] for t in exported["tables"]] == [t.name for t in db.metadata.sorted_tables]
    for entry, table in zip(exported["tables"], db.metadata.sorted_tables, strict=True):
        assert entry["columns"] == [c.name for c in table.columns]
        assert entry["rows"], f"no rows in {table.name}: the round trip would not cover it"
    assert json.loads(r.stdout)["rows"]["versions"] == count_rows(Version)

    second = tmp_path / "second.json"
    with fresh_database(tmp_path) as url, second_app(url) as app2, app2.app_context():
        # The test runner runs commands in the current application context: this one.
        cli = app2.test_cli_runner()
        r = cli.invoke(args=["import", str(first)])
        assert r.exit_code == 0, r.output
        r = cli.invoke(args=["export", str(second)])
        assert r.exit_code == 0, r.output
        # New rows get new ids after an import (PostgreSQL's sequences were moved on).
        highest = db.session.scalar(sa.select(sa.func.max(User.id)))
        user = accounts.create_user(
            db.session, email="new@example.org", name="New", role="observer", password=PASSWORD
        )
        db.session.commit()
        assert user.id == highest + 1
    assert json.loads(second.read_text(encoding="utf-8")) == exported
    assert second.read_bytes() == first.read_bytes()


def test_export_file_is_private_and_stays_whole(runner, loaded, tmp_path):
    path = tmp_path / "backup.json"
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    assert path.stat().st_mode & 0o077 == 0  # password and token hashes inside
    r = runner.invoke(args=["export", str(tmp_path / "no-such-dir" / "backup.json")])
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1
    assert "Cannot write" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json"]


def document(session, **rows: list[list]) -> dict:
    """A small export document: the given rows, every other table empty."""
    return {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "alembic_revision": backup.revision(session.connection()),
        "tables": [
            {"name": t.name, "columns": [c.name for c in t.columns], "rows": rows.get(t.name, [])}
            for t in db.metadata.sorted_tables
        ],
    }


def user_row(uid: int, email: str) -> list:
    return [uid, email, "Name", "hash", "drafter", None, None, True, "2021-05-01T10:00:00+00:00"]


def test_import_into_an_empty_database(runner, db_session, tmp_path):
    path = tmp_path / "small.json"
    doc = document(db_session, users=[user_row(1, "a@example.org"), user_row(2, "b@example.org")])
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = runner.invoke(args=["import", str(path)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"]["users"] == 2
    b = accounts.user_by_email(db_session, "b@example.org")
    assert b.active is True and b.created_at.isoformat() == "2021-05-01T10:00:00+00:00"


def _edit(doc: dict, table: str, **changes) -> dict:
    for entry in doc["tables"]:
        if entry["name"] == table:
            entry.update(changes)
    return doc


BAD_FILES = [
    ("missing", None, "Cannot read"),
    ("not JSON", "{not json", "not valid JSON"),
    ("not UTF-8", b"\xff\xfe{}", "not UTF-8"),
    ("not an export", "[1, 2, 3]", "not a Redline export"),
    ("wrong version", lambda d: {**d, "format_version": 99}, "format version 99"),
    ("wrong revision", lambda d: {**d, "alembic_revision": "abc123"}, "revision 'abc123'"),
    ("missing table", lambda d: {**d, "tables": d["tables"][:-1]}, "tables"),
    ("renamed column", lambda d: _edit(d, "users", columns=["id", "mail"]), "has columns"),
    ("short row", lambda d: _edit(d, "users", rows=[[1, "x@example.org"]]), "Row 1 of 'users'"),
    (
        "bad datetime",
        lambda d: _edit(d, "users", rows=[user_row(1, "x@example.org")[:-1] + ["yesterday"]]),
        "created_at = 'yesterday'",
    ),
    (
        "naive datetime",
        lambda d: _edit(d, "users", rows=[user_row(1, "x@example.org")[:-1] + ["2021-05-01"]]),
        "created_at",
    ),
    (
        "string for a bool",
        lambda d: _edit(d, "users", rows=[user_row(1, "x@example.org")[:7] + ["yes", None]]),
        "active = 'yes'",
    ),
    (
        # Users are written, then a bad value in a later table: everything is undone.
        "bad value in a later table",
        lambda d: _edit(
            _edit(d, "users", rows=[user_row(1, "x@example.org")]),
            "api_tokens",
            rows=[[1, 1, "a" * 64, "yesterday", None, None]],
        ),
        "Row 1 of 'api_tokens': created_at",
    ),
    (
        # Valid ISO 8601, but before year 1 once turned into UTC: no OverflowError.
        "time beyond the calendar in UTC",
        lambda d: _edit(
            _edit(d, "users", rows=[user_row(1, "x@example.org")]),
            "api_tokens",
            rows=[[1, 1, "a" * 64, "0001-01-01T00:00:00+05:00", None, None]],
        ),
        "Row 1 of 'api_tokens': created_at",
    ),
    (
        # Users load fine, then a duplicate id in a later table: everything is undone.
        "refused by the database",
        lambda d: _edit(
            _edit(d, "users", rows=[user_row(1, "x@example.org")]),
            "api_tokens",
            rows=[[1, 1, "a" * 64, "2021-05-01T10:00:00+00:00", None, None]] * 2,
        ),
        "refused",
    ),
]


@pytest.mark.parametrize(
    "content, message", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_bad_file_one_line_nothing_written(runner, db_session, tmp_path, content, message):
    path = tmp_path / "bad.json"
    if callable(content):
        path.write_text(json.dumps(content(document(db_session))), encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    r = runner.invoke(args=["import", str(path)])
    assert r.exit_code != 0
    assert message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert all(count_rows(t) == 0 for t in db.metadata.sorted_tables)


def test_non_empty_target_is_refused(runner, db_session, users, tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(document(db_session, users=[user_row(99, "z@example.org")])))
    before = count_rows(User)
    r = runner.invoke(args=["import", str(path)])
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1
    assert "not empty" in r.stderr and "users" in r.stderr
    assert count_rows(User) == before
