"""Redlines between two versions or two meetings, with the diffs cached in the database.

Versions never change, so the ops between two version ids are valid forever. They live in the
`redline_cache` table rather than in process memory so that every gunicorn worker (and every
machine behind the load balancer) shares them. A whole-instrument compare reads all the rows it
needs in one query, diffs only the missing pairs and inserts them in one statement; a concurrent
request that computed the same pair first is not an error (the ops are the same anyway).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.domain.text import redline as engine
from redline.domain.text.compare import ProvisionChange, Snapshot, compare
from redline.domain.text.notes import as_notes
from redline.domain.text.redline import Op, Stats
from redline.models import Meeting, RedlineCache, User, Version
from redline.services import access, texts
from redline.services.errors import BadInput

Pair = tuple[int, int]  # (from_version_id, to_version_id)

# The (from, to) pairs go in one tuple IN list of bound parameters: two per pair, so 5,000
# pairs (more provisions than any treaty has) stay below SQLite's 32,766 and PostgreSQL's
# 65,535 parameters. A longer list is read in several queries rather than failing.
_CHUNK = 5000


def snapshot(version: Version) -> Snapshot:
    """The domain's view of a version (no session, no lazy loading later)."""
    return Snapshot(
        provision_id=version.provision_id,
        version_id=version.id,
        number=version.number,
        heading=version.heading,
        kind=version.kind,
        position=version.position,  # type: ignore[arg-type] - fractional positions sort fine
        text=version.text,
        notes=as_notes(version.notes),
        direction=version.direction or "ltr",
    )


@lru_cache(maxsize=2048)
def _decode(raw: str) -> tuple[tuple[Op, ...], bool]:
    """Cached rows decoded once per process: keyed by the stored JSON itself, so an entry can
    never belong to another pair (warm compare pages skip the decoding). A coarse redline
    (the word diff ran past its budget) is stored as {"coarse": true, "ops": [...]}."""
    data = json.loads(raw)
    if isinstance(data, dict):
        return tuple(engine.ops_from_json(data["ops"])), bool(data.get("coarse"))
    return tuple(engine.ops_from_json(data)), False


def _encode(ops: list[Op]) -> str:
    data = engine.ops_to_json(ops)
    if engine.is_coarse(ops):
        return json.dumps({"coarse": True, "ops": data}, ensure_ascii=False)
    return json.dumps(data, ensure_ascii=False)


def _fetch(session: Session, pairs: Sequence[Pair]) -> dict[Pair, list[Op]]:
    found: dict[Pair, list[Op]] = {}
    key = sa.tuple_(RedlineCache.from_version_id, RedlineCache.to_version_id)
    for i in range(0, len(pairs), _CHUNK):
        rows = session.execute(
            sa.select(
                RedlineCache.from_version_id, RedlineCache.to_version_id, RedlineCache.ops
            ).where(key.in_(pairs[i : i + _CHUNK]))
        )
        for from_id, to_id, raw in rows:
            ops, coarse = _decode(raw)
            found[(from_id, to_id)] = engine.CoarseOps(ops) if coarse else list(ops)
    return found


def _store(session: Session, rows: list[dict]) -> None:
    """Insert cache rows; rows another worker inserted meanwhile are left as they are."""
    if not rows:
        return
    table = RedlineCache.__table__
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        session.execute(insert(table).on_conflict_do_nothing(), rows)
        return
    for row in rows:  # other backends: one SAVEPOINT per row, a duplicate only undoes itself
        try:
            with session.begin_nested():
                session.execute(sa.insert(table), [row])
        except IntegrityError:
            pass


# The C++ diff releases the GIL, so a cold whole-instrument compare spreads its provisions over
# the cores (measured on 2 cores: 59 ms serial, 33 ms threaded for GPLv3 Draft 1 -> final).
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_PARALLEL_FROM = 4  # below this many missing pairs a pool costs more than it saves


def _diff_all(texts_pairs: list[tuple[str, str]]) -> list[list[Op]]:
    if len(texts_pairs) < _PARALLEL_FROM or _WORKERS == 1:
        return [engine.redline(old, new) for old, new in texts_pairs]
    # Longest first, so one big provision does not start last and finish alone.
    order = sorted(range(len(texts_pairs)), key=lambda i: -sum(map(len, texts_pairs[i])))
    with ThreadPoolExecutor(_WORKERS) as pool:
        done = pool.map(lambda i: engine.redline(*texts_pairs[i]), order)
        results = dict(zip(order, done, strict=True))
    return [results[i] for i in range(len(texts_pairs))]


def ops_for_pairs(
    session: Session, pairs: Iterable[tuple[Version, Version]], store: bool = True
) -> dict[Pair, list[Op]]:
    """Ops for each (older, newer) version pair: cached rows in one query, the rest computed
    and, with `store`, stored (the caller commits)."""
    wanted: dict[Pair, tuple[str, str]] = {}
    for a, b in pairs:
        wanted.setdefault((a.id, b.id), (a.text, b.text))
    if not wanted:
        return {}
    found = _fetch(session, list(wanted))
    missing = [pair for pair in wanted if pair not in found]
    new_rows = []
    for pair, ops in zip(missing, _diff_all([wanted[p] for p in missing]), strict=True):
        found[pair] = ops
        new_rows.append(
            {
                "from_version_id": pair[0],
                "to_version_id": pair[1],
                "ops": _encode(ops),
            }
        )
    if store:
        _store(session, new_rows)
    return found


def ops_between(session: Session, old: Version, new: Version) -> list[Op]:
    """The word-level ops turning one version's text into another's, for two versions of one
    provision (the only pairs the product offers: BadInput otherwise).

    Cache growth is bounded by the data, not by what readers ask: a row is written only for a
    pair the pages themselves compare, i.e. consecutive versions (one is the other's parent)
    or two meeting heads (each the last version of the provision at its meeting). Any other
    pair of the same provision is computed, within the diff budget, and not stored, so no
    reader can grow the cache by asking for many pairs."""
    if old.provision_id != new.provision_id:
        raise BadInput(
            "Both versions must be versions of the same provision: a redline compares one "
            "provision's texts."
        )
    if old.text == new.text:  # nothing to diff, nothing worth a cache row
        return [(engine.EQUAL, old.text)] if old.text else []
    pair = (old.id, new.id)
    found = _fetch(session, [pair])
    if pair in found:
        return found[pair]
    ops = engine.redline(old.text, new.text)
    if worth_caching(session, old, new):
        _store(session, [{"from_version_id": old.id, "to_version_id": new.id, "ops": _encode(ops)}])
    return ops


def worth_caching(session: Session, old: Version, new: Version) -> bool:
    """Consecutive versions, or two meeting heads (see :func:`ops_between`). One query
    whatever the answer, so that pages run as many statements on any data."""

    def later_at_its_meeting(v: Version):
        return sa.and_(
            Version.provision_id == v.provision_id,
            Version.meeting_id == v.meeting_id,
            Version.id > v.id,
        )

    later = session.scalar(
        sa.select(sa.func.count())
        .select_from(Version)
        .where(sa.or_(later_at_its_meeting(old), later_at_its_meeting(new)))
    )
    return new.parent_id == old.id or old.parent_id == new.id or not later


def _compare_versions(
    session: Session, before: Sequence[Version], after: Sequence[Version], store: bool = True
) -> list[ProvisionChange]:
    old = {v.provision_id: v for v in before}
    pairs = [
        (old[v.provision_id], v)
        for v in after
        if v.provision_id in old
        and old[v.provision_id].id != v.id
        and old[v.provision_id].text != v.text
    ]
    cached = ops_for_pairs(session, pairs, store)

    def diff(b: Snapshot, a: Snapshot) -> list[Op]:
        ops = cached.get((b.version_id, a.version_id))
        return ops if ops is not None else engine.redline(b.text, a.text)

    return compare([snapshot(v) for v in before], [snapshot(v) for v in after], diff)


def pick_meetings(
    session: Session, user: User, instrument_id: int, from_id: int | None, to_id: int | None
) -> tuple[list[Meeting], Meeting | None, Meeting | None]:
    """The meetings `user` may read, and the two to compare: those asked for (404 when not
    visible), by default the latest and the one before it (or the latest twice if alone)."""
    meetings = access.visible_meetings(session, user, instrument_id)
    if to_id is not None:
        to_m = access.meeting_for(session, user, to_id, instrument_id)
    else:
        to_m = meetings[-1] if meetings else None
    if from_id is not None:
        from_m = access.meeting_for(session, user, from_id, instrument_id)
    elif to_m is not None:
        earlier = [m for m in meetings if m.position < to_m.position]
        from_m = earlier[-1] if earlier else to_m
    else:
        from_m = None
    return meetings, from_m, to_m


def compare_meetings(
    session: Session, from_meeting: Meeting, to_meeting: Meeting
) -> list[ProvisionChange]:
    """The whole instrument from one meeting's text to another's, aligned by provision identity.

    Either order works: from a later meeting to an earlier one simply shows the reverse edits.
    """
    before = texts.versions_as_of(session, from_meeting)
    same = to_meeting.id == from_meeting.id
    after = before if same else texts.versions_as_of(session, to_meeting)
    return _compare_versions(session, before, after)


def compare_versions(session: Session, old: Version | None, new: Version | None) -> ProvisionChange:
    """One provision from one version to another (at least one given). A missing version, or
    one recording the provision's removal, counts as no text: the other side is added or
    removed whole."""
    ref = new if new is not None else old
    if ref is None:
        raise ValueError("compare_versions needs at least one version")
    before = [] if old is None or old.removed else [old]
    after = [] if new is None or new.removed else [new]
    # Any two versions may be compared; only the pairs the pages lead to are cached.
    store = old is not None and new is not None and worth_caching(session, old, new)
    changes = _compare_versions(session, before, after, store)
    if changes:
        return changes[0]
    # Removed on both sides: nothing to show, nothing changed.
    return ProvisionChange(ref.provision_id, "unchanged", ref.kind, None, None)


@dataclass(frozen=True)
class Totals:
    """What a comparison changed, for the line at the top of a redline."""

    provisions: int
    changed: int
    added: int
    removed: int
    moved: int
    renumbered: int
    unchanged: int
    inserted_words: int
    deleted_words: int


def totals(changes: Sequence[ProvisionChange], word_stats: Sequence[Stats] | None = None) -> Totals:
    """Counts for a comparison; pass `word_stats` (one per change) when already computed."""
    if word_stats is None:
        word_stats = [engine.stats(c.ops) for c in changes]
    count = lambda status: sum(1 for c in changes if c.status == status)  # noqa: E731
    return Totals(
        provisions=len(changes),
        changed=count("changed"),
        added=count("added"),
        removed=count("removed"),
        moved=sum(1 for c in changes if c.moved),
        renumbered=sum(1 for c in changes if c.renumbered),
        unchanged=count("unchanged"),
        inserted_words=sum(s.inserted_words for s in word_stats),
        deleted_words=sum(s.deleted_words for s in word_stats),
    )
