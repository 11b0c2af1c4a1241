"""full-text search: each database's own engine over versions and comments

Revision ID: search
Revises: 0003
Create Date: 2026-12-04 16:10:00

SQLite: two FTS5 tables (rowid = the version's or comment's id) kept by triggers, so every
write (the services, imports, raw SQL) updates the index in its own transaction.
PostgreSQL: stored generated tsvector columns (english, french, and simple for prefixes) with
GIN indexes, which the database keeps itself in the same transaction as each write.
Neither is part of the models: redline.services.search_engines.ENGINE_OBJECTS tells
autogenerate to leave them alone.
"""

from alembic import op

revision = "search"
down_revision = 'notifications'
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
VERSION_DOC = "coalesce(number, '') || ' ' || coalesce(heading, '') || ' ' || coalesce(text, '')"
CONFIGS = ("english", "french", "simple")  # simple: unstemmed, for prefix words


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_up()
    else:
        # One stored tsvector column per configuration, computed by the database on every
        # insert and update (the same transaction), each with its GIN index: a phrase query
        # rechecks the stored vector instead of parsing the text again.
        # PostgreSQL's parser reads "<script>" as an XML tag and "/script" as a file path and
        # drops or keeps them whole, where a reader (and the query parser, which splits words on
        # every non-letter) sees the words "script": '<', '>' and '/' are read as spaces.
        for table, doc in (("versions", VERSION_DOC), ("comments", "body")):
            for cfg in CONFIGS:
                op.execute(
                    f"ALTER TABLE {table} ADD COLUMN search_{cfg} tsvector GENERATED ALWAYS AS "
                    f"(to_tsvector('{cfg}'::regconfig, translate({doc}, '<>/', '   '))) STORED"
                )
                op.execute(
                    f"CREATE INDEX ix_{table}_search_{cfg} ON {table} USING gin (search_{cfg})"
                )


def _sqlite_up():
    doc = "new.number || ' ' || new.heading || ' ' || new.text"
    op.execute(f"CREATE VIRTUAL TABLE version_search USING fts5(doc, tokenize = '{TOKENIZER}')")
    op.execute(f"CREATE VIRTUAL TABLE comment_search USING fts5(body, tokenize = '{TOKENIZER}')")
    op.execute(
        "INSERT INTO version_search (rowid, doc) "
        "SELECT id, number || ' ' || heading || ' ' || text FROM versions"
    )
    op.execute(
        "INSERT INTO comment_search (rowid, body) "
        "SELECT id, body FROM comments WHERE deleted_at IS NULL"
    )
    # Versions are never updated or deleted (the models refuse it); a rolled-back insert
    # takes its index row with it.
    op.execute(
        "CREATE TRIGGER version_search_insert AFTER INSERT ON versions BEGIN "
        f"INSERT INTO version_search (rowid, doc) VALUES (new.id, {doc}); END"
    )
    op.execute(
        "CREATE TRIGGER version_search_delete AFTER DELETE ON versions BEGIN "
        "DELETE FROM version_search WHERE rowid = old.id; END"
    )
    # A withdrawn comment's words leave the index: nobody finds them by searching.
    op.execute(
        "CREATE TRIGGER comment_search_insert AFTER INSERT ON comments "
        "WHEN new.deleted_at IS NULL BEGIN "
        "INSERT INTO comment_search (rowid, body) VALUES (new.id, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER comment_search_update AFTER UPDATE OF body, deleted_at ON comments BEGIN "
        "DELETE FROM comment_search WHERE rowid = old.id; "
        "INSERT INTO comment_search (rowid, body) "
        "SELECT new.id, new.body WHERE new.deleted_at IS NULL; END"
    )
    op.execute(
        "CREATE TRIGGER comment_search_delete AFTER DELETE ON comments BEGIN "
        "DELETE FROM comment_search WHERE rowid = old.id; END"
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in (
            "version_search_insert",
            "version_search_delete",
            "comment_search_insert",
            "comment_search_update",
            "comment_search_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS version_search")
        op.execute("DROP TABLE IF EXISTS comment_search")
    else:
        for table in ("versions", "comments"):
            for cfg in CONFIGS:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_{cfg}")
                op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_{cfg}")
