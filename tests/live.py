"""Helpers for tests that need committed data (a real server in another thread or process):
they seed with real commits and wipe every table afterwards, so the rolled-back tests that
follow still start from an empty database."""

from __future__ import annotations

from contextlib import contextmanager

from redline.extensions import db


def wipe(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            tables = [t.name for t in reversed(db.metadata.sorted_tables)]
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            else:
                for t in tables:
                    conn.exec_driver_sql(f'DELETE FROM "{t}"')


@contextmanager
def committed(app):
    """An app context whose writes are really committed; wiped when the block ends."""
    try:
        with app.app_context():
            yield db.session
    finally:
        wipe(app)
