"""Whole-database export and import as one JSON document: a portable backup, and the way to move
a Redline database between SQLite and PostgreSQL.

The document lists every table of the models' metadata in dependency order (parents before the
rows that point at them), each with its column names and every row as a list of values in that
order, rows sorted by primary key. It carries a format version and the Alembic revision of the
schema it came from; an import goes only into an empty database at that same revision, in one
transaction. Datetimes are ISO 8601 with their zone (always UTC here), dates ISO 8601.

Rows are written with Core inserts, never through the ORM: versions refuse ORM updates and
deletes, and a backup must restore exactly what was there, audit trail included.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from redline.extensions import db
from redline.services.errors import BadInput

FORMAT = "redline-export"
FORMAT_VERSION = 1
BATCH = 1000


def tables() -> list[sa.Table]:
    """Every table of the models, parents first."""
    return list(db.metadata.sorted_tables)


def revision(connection: Connection) -> str | None:
    """The database's Alembic revision (None when it was never migrated). Read directly:
    Alembic's MigrationContext would log to stderr, and errors here are one line."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    heads = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(heads)) or None


def _snapshot(session: Session) -> Connection:
    """The session's connection; on PostgreSQL in a REPEATABLE READ transaction, so every
    table is read from the same snapshot and a backup taken while people work is consistent
    (SQLite's WAL read transaction already is). A session bound to an outer connection (the
    test suite's) keeps that connection's transaction as it is."""
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session.connection()


def _value(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # every datetime column is UTCDateTime: aware on the way out
            raise ValueError("naive datetime in the database")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(connection: Connection, table: sa.Table) -> Iterator[list]:
    # Streamed in batches (a server-side cursor on PostgreSQL): memory stays flat however
    # big the table. The option goes on the statement: on the connection it would stick.
    stmt = sa.select(*table.columns).order_by(*table.primary_key.columns)
    result = connection.execute(stmt.execution_options(yield_per=BATCH))
    for row in result:
        yield [_value(v) for v in row]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def export_to(session: Session, path: str) -> dict[str, int]:
    """Write the whole database to `path`; returns the row count of every table.

    Streamed row by row (the database may be large), into a temporary file renamed into place
    at the end, so a failed export never leaves a truncated backup under the expected name.
    The file holds password and token hashes: it is created readable by its owner only.
    """
    connection = _snapshot(session)
    target = Path(path)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(prefix=".redline-export-", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            head = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "alembic_revision": revision(connection),
            }
            out.write(_dumps(head)[:-1] + ',\n"tables": [\n')
            for i, table in enumerate(tables()):
                meta = {"name": table.name, "columns": [c.name for c in table.columns]}
                out.write(("" if i == 0 else ",\n") + _dumps(meta)[:-1] + ', "rows": [')
                n = 0
                for row in _rows(connection, table):
                    out.write(("\n" if n == 0 else ",\n") + _dumps(row))
                    n += 1
                out.write("\n]}" if n else "]}")
                counts[table.name] = n
            out.write("\n]}\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


# --- import -----------------------------------------------------------------------------------


def read_document(path: str) -> dict:
    """The export document at `path`, or BadInput saying what is wrong with the file."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except OSError as e:
        raise BadInput(f"Cannot read {path}: {e.strerror}.") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text.") from None
    except json.JSONDecodeError as e:
        raise BadInput(f"{path} is not valid JSON (line {e.lineno}, column {e.colno}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadInput(f'{path} is not a Redline export (no "format": "{FORMAT}").')
    return document


def _python_type(column: sa.Column) -> type:
    kind = column.type
    # A TypeDecorator (UTCDateTime) answers `object`; its underlying type knows better.
    return (kind.impl if isinstance(kind, TypeDecorator) else kind).python_type


def _converter(column: sa.Column):
    """Check one JSON value against its column and turn it into the Python value to insert."""
    kind = _python_type(column)

    def convert(value: object) -> object:
        if value is None:
            return None
        if kind is datetime:
            value = datetime.fromisoformat(value) if isinstance(value, str) else None
            ok = value is not None and value.tzinfo is not None
            try:  # turning it into UTC, as the column will, can leave the calendar
                value = value.astimezone(UTC) if ok else value
            except OverflowError:
                raise ValueError from None
        elif kind is date:
            value = date.fromisoformat(value) if isinstance(value, str) else None
            ok = value is not None
        elif kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:  # bool and str: JSON has them exactly
            ok = isinstance(value, kind)
        if not ok:
            raise ValueError
        return value

    return convert


def _parents_first(table: sa.Table, rows: list[dict]) -> list[dict]:
    """Order rows so that a row referring to another row of its own table (a reply to a
    comment, a version to its parent) comes after it. Ids grow, so sorted by id this holds
    already; the check costs one pass and guards a file edited by hand."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not own:
        return rows
    key = next(iter(table.primary_key.columns)).name
    seen: set = set()
    ordered: list[dict] = []
    pending = rows
    while pending:
        later = []
        for row in pending:
            if all(row[c] is None or row[c] in seen or row[c] == row[key] for c in own):
                seen.add(row[key])
                ordered.append(row)
            else:
                later.append(row)
        if len(later) == len(pending):  # a reference to a missing row: the database will say
            ordered.extend(later)
            break
        pending = later
    return ordered


def _check_layout(table: sa.Table, entry: object) -> None:
    """The file's table entry names this table and exactly its columns, and has rows."""
    if not isinstance(entry, dict) or entry.get("name") != table.name:
        raise BadInput(f"Expected table '{table.name}' next in the file.")
    names = [c.name for c in table.columns]
    if entry.get("columns") != names:
        raise BadInput(
            f"Table '{table.name}' has columns {entry.get('columns')} in the file, "
            f"{names} in this version of Redline."
        )
    if not isinstance(entry.get("rows"), list):
        raise BadInput(f"Table '{table.name}' has no list of rows.")


def _table_rows(table: sa.Table, raw: list) -> list[dict]:
    """One table's rows from the document, checked and converted (BadInput otherwise)."""
    names = [c.name for c in table.columns]
    converters = [_converter(c) for c in table.columns]
    rows = []
    for n, values in enumerate(raw, start=1):
        if not isinstance(values, list) or len(values) != len(names):
            raise BadInput(f"Row {n} of '{table.name}' does not have {len(names)} values.")
        row = {}
        for name, convert, value in zip(names, converters, values, strict=True):
            try:
                row[name] = convert(value)
            except ValueError:
                raise BadInput(
                    f"Row {n} of '{table.name}': {name} = {str(value)[:40]!r} is not a valid "
                    f"{table.columns[name].type}."
                ) from None
        rows.append(row)
    return _parents_first(table, rows)


def _check_target(connection: Connection, document: dict) -> None:
    if document.get("format_version") != FORMAT_VERSION:
        raise BadInput(
            f"Export format version {document.get('format_version')!r} is not supported "
            f"(this Redline reads version {FORMAT_VERSION})."
        )
    here = revision(connection)
    if here is None:
        raise BadInput("The target database has no schema yet: run `flask db upgrade` first.")
    if document.get("alembic_revision") != here:
        raise BadInput(
            f"The file was exported at schema revision {document.get('alembic_revision')!r}; "
            f"the target database is at {here!r}. Migrate both to the same revision."
        )
    for table in tables():
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            raise BadInput(
                f"The target database is not empty (table '{table.name}' has rows); "
                "import only into a new database."
            )


def reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that rows written with explicit ids (an import,
    a bulk load) did not advance: move each to just past the largest id, or the next new row
    would collide with one of them."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or _python_type(pk[0]) is not int:
            continue
        column = pk[0].name
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), "  # noqa: S608 - model names
                f'COALESCE((SELECT max("{column}") FROM "{table.name}"), 0) + 1, false) '
                "WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"
            ),
            {"t": table.name, "c": column},
        )


def import_document(session: Session, document: dict) -> dict[str, int]:
    """Load an export into this (empty) database in the session's transaction; returns the
    row count of every table. The caller commits; on any error (BadInput) it rolls back, and
    nothing is written. The document's rows are consumed."""
    connection = session.connection()
    _check_target(connection, document)
    entries = document.get("tables")
    if not isinstance(entries, list) or len(entries) != len(tables()):
        raise BadInput(
            f"The file lists {len(entries) if isinstance(entries, list) else 'no'} tables; "
            f"this version of Redline has {len(tables())}."
        )
    for table, entry in zip(tables(), entries, strict=True):
        _check_layout(table, entry)  # a file of another shape fails before anything is written
    counts = {}
    try:
        for table, entry in zip(tables(), entries, strict=True):
            # Table by table, each let go once written: memory holds one converted table, not
            # two copies of the whole database. A bad value later still undoes it all.
            rows = _table_rows(table, entry.pop("rows"))
            _write(connection, table, rows)
            counts[table.name] = len(rows)
            del rows
        if connection.dialect.name == "postgresql":
            reset_sequences(connection)
    except (DBAPIError, connection.dialect.loaded_dbapi.Error) as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0] or type(e).__name__
        raise BadInput(f"The database refused the data: {reason}") from None
    return counts


def _write(connection: Connection, table: sa.Table, rows: list[dict]) -> None:
    """Core inserts in batches; on PostgreSQL with psycopg, COPY (ten times faster: a million
    comments load in a minute, not ten), in the same transaction all the same."""
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        names = [c.name for c in table.columns]
        columns = ", ".join(f'"{n}"' for n in names)
        # COPY takes JSON columns (versions.notes) as JSON text; a Python list would be
        # written as a PostgreSQL array.
        as_json = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        [
                            _dumps(row[n]) if n in as_json and row[n] is not None else row[n]
                            for n in names
                        ]
                    )
        return
    for i in range(0, len(rows), BATCH):
        connection.execute(sa.insert(table), rows[i : i + BATCH])
