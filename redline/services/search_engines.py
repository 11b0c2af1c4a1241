"""Each database's own full-text engine, behind two functions: the ids of the versions and
of the comments whose words match a query.

SQLite (the embedded default): FTS5 tables `version_search` and `comment_search`, rowid = the
version's or comment's id, kept by triggers in the same transaction as every write.
PostgreSQL: stored generated columns `search_english`, `search_french`, `search_simple`
(to_tsvector of number, heading and text, or of the comment's body) with GIN indexes, which
the database keeps itself in the same transaction as every write. A row matches in either
language, so "disclosures" finds "disclosure" and "données" finds "donnée". Prefix words
(`legislat*`) go through the 'simple' column: a stem ("legisl") would not begin with what the
reader typed. Both engines are built by the migration 'search'.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text.search_terms import Terms

CONFIGS = ("english", "french")
PREFIX_CONFIG = "simple"  # unstemmed words, so a prefix matches the words as written
# The engine's own tables and indexes: not models, so autogenerate must not drop them.
ENGINE_OBJECTS = frozenset(
    {"version_search", "comment_search"}
    | {f"search_{cfg}" for cfg in (*CONFIGS, PREFIX_CONFIG)}
    | {
        f"ix_{table}_search_{cfg}"
        for table in ("versions", "comments")
        for cfg in (*CONFIGS, PREFIX_CONFIG)
    }
)


def is_engine_object(name: str | None) -> bool:
    """For autogenerate's include_name: FTS5 tables, their shadow tables, the tsvector
    columns and their GIN indexes."""
    return bool(name) and any(name == o or name.startswith(o + "_") for o in ENGINE_OBJECTS)


def matching_versions(session: Session, terms: Terms) -> sa.Select:
    """A subquery of the ids of the versions whose number, heading or text match."""
    return _matching(session, terms, "version_search", "versions")


def matching_comments(session: Session, terms: Terms) -> sa.Select:
    """A subquery of the ids of the comments (not withdrawn) whose words match."""
    return _matching(session, terms, "comment_search", "comments")


def _matching(session: Session, terms: Terms, fts: str, table: str) -> sa.Select:
    if session.get_bind().dialect.name == "sqlite":
        return (
            sa.select(sa.literal_column("rowid"))
            .select_from(sa.table(fts))
            .where(sa.text(f"{fts} MATCH :fts_query").bindparams(fts_query=terms.fts5()))
        )
    whole, prefixes = terms.websearch(), terms.prefixes()
    conditions = []
    if whole:
        # Whole words and phrases, stemmed in either language: a row matches in one of them.
        conditions.append(
            "("
            + " OR ".join(
                f"search_{cfg} @@ websearch_to_tsquery('{cfg}'::regconfig, :whole)"
                for cfg in CONFIGS
            )
            + ")"
        )
    if prefixes:
        conditions.append(
            f"search_{PREFIX_CONFIG} @@ to_tsquery('{PREFIX_CONFIG}'::regconfig, :prefixes)"
        )
    params = {**({"whole": whole} if whole else {}), **({"prefixes": prefixes} if prefixes else {})}
    where = sa.text(" AND ".join(conditions)).bindparams(**params)
    return sa.select(sa.literal_column("id")).select_from(sa.table(table)).where(where)
