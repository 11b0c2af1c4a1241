"""Database engine settings that the models cannot express."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event

from redline.extensions import db


def init_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite://":
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """WAL lets readers work while a drafter saves; a busy timeout queues concurrent writers
    instead of failing them; foreign keys are off by default in SQLite."""
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's own
    # implicit transactions break SAVEPOINTs (used by nested transactions and the test suite).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    """A request that writes takes SQLite's write lock when its transaction begins, so
    concurrent writers queue behind the busy timeout. A deferred transaction that reads first
    and writes later fails outright ("database is locked") if another writer got in between."""
    writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
