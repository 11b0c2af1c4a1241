"""The migrations build exactly the models: upgrading to head leaves autogenerate nothing to do."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from redline.extensions import db
from redline.services.search_engines import is_engine_object


def _not_engine(name, type_, parent_names):  # noqa: ARG001 - alembic's include_name signature
    # The search engine's FTS5 tables and GIN indexes are built by the migration, not models.
    return not is_engine_object(name)


def test_head_matches_the_models(app):
    # The session's database was built by `flask db upgrade` (see conftest), on SQLite or
    # PostgreSQL; compare it with the models as autogenerate would.
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _not_engine}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_model_has_its_table(app):
    with app.app_context(), db.engine.connect() as conn:
        tables = set(db.inspect(conn).get_table_names())
    assert {
        "users",
        "instruments",
        "meetings",
        "provisions",
        "versions",
        "consultations",
        "comments",
        "comment_anchors",
        "audit_events",
        "api_tokens",
    } <= tables
