"""History of a passage: which meeting (and, for the drafting side, which version and author)
wrote each word of a version.

The chain carried is the one the reader is shown (`published.shown_history`): the drafting
record for the secretariat and drafters, the published texts for a stakeholder, so a word
written at an unpublished meeting carries the first published meeting that showed it, and a
stakeholder never learns a version id, an author or a meeting they may not see.

The runs are cached per version and chain (`passage_history_cache`): versions never change, so
the runs of one chain are valid forever; a different chain (a meeting published afterwards, or
the other side's view) has another digest and its own row. The diffs between consecutive texts
come from the redline cache (`redlines.ops_for_pairs`), which the compare pages share.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text import attribution
from redline.models import Meeting, PassageHistoryCache, User, Version
from redline.services import policy, published, redlines
from redline.services.errors import BadInput, NotFound
from redline.services.published import ShownVersion


@dataclass(frozen=True)
class Written:
    """Characters [start, end) of the version, first written at `meeting` as this reader sees
    it; `version_id` and `author` only for readers who may see the drafting record."""

    start: int
    end: int
    meeting: Meeting
    version_id: int | None
    author: User | None


@dataclass(frozen=True)
class PassageHistory:
    version: ShownVersion
    runs: list[Written]

    @property
    def meetings(self) -> list[Meeting]:
        """The meetings that wrote some of this text, oldest first (the legend)."""
        seen: dict[int, Meeting] = {}
        for run in self.runs:
            seen.setdefault(run.meeting.id, run.meeting)
        return sorted(seen.values(), key=lambda m: (m.position, m.id))


def _digests(chain: list[ShownVersion]) -> list[str]:
    """The digest of each prefix of the chain (the chain as of each of its versions)."""
    out, h = [], hashlib.sha256()
    for v in chain:
        h.update(f"{v.id},".encode())
        out.append(h.copy().hexdigest())
    return out


def _latest_cached(
    session: Session, chain: list[ShownVersion], digests: list[str]
) -> tuple[int, list[attribution.Run]] | None:
    """The newest version of the chain whose runs are cached (for this same chain up to it),
    with its runs: one query."""
    keys = [(v.id, d) for v, d in zip(chain, digests, strict=True)]
    rows = session.execute(
        sa.select(
            PassageHistoryCache.version_id, PassageHistoryCache.chain, PassageHistoryCache.runs
        ).where(sa.tuple_(PassageHistoryCache.version_id, PassageHistoryCache.chain).in_(keys))
    ).all()
    if not rows:
        return None
    at = {key: i for i, key in enumerate(keys)}
    version_id, digest, raw = max(rows, key=lambda row: at[(row[0], row[1])])
    runs = [attribution.Run(s, e, label) for s, e, label in json.loads(raw)]
    return at[(version_id, digest)], runs


def _store(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    table = PassageHistoryCache.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two databases Redline runs on
        for row in rows:
            session.merge(PassageHistoryCache(**row))
        return
    # A concurrent request that computed the same runs first is not an error: they are equal.
    session.execute(insert(table).on_conflict_do_nothing(), rows)


def _row(version: ShownVersion, digest: str, runs: list[attribution.Run]) -> dict:
    return {
        "version_id": version.id,
        "chain": digest,
        "runs": json.dumps([[r.start, r.end, r.label] for r in runs]),
    }


def _runs(session: Session, chain: list[ShownVersion], record: bool) -> list[attribution.Run]:
    """The runs of the chain's last version: cached, or carried on from the newest cached
    earlier version (after a new meeting, one diff), or from the start. The runs of every
    version carried through are stored too, so each version's history is computed once."""
    digests = _digests(chain)
    found = _latest_cached(session, chain, digests)
    if found is not None and found[0] == len(chain) - 1:
        return found[1]
    if found is None:  # nothing cached: the first version wrote all its words
        first = chain[0]
        start, runs = 0, [attribution.Run(0, len(first.text), first.id)] if first.text else []
    else:
        start, runs = found
    rest = chain[start:]
    steps = [(a, b) for a, b in zip(rest, rest[1:], strict=False) if a.text != b.text]
    # Consecutive versions of the record are pairs the compare pages cache too (computed in
    # parallel when several are missing); a stakeholder's published texts are diffed without
    # growing the redline cache.
    ops = redlines.ops_for_pairs(session, steps, store=record)
    rows = [] if found is not None else [_row(chain[0], digests[0], runs)]
    for i in range(start + 1, len(chain)):
        a, b = chain[i - 1], chain[i]
        if a.text != b.text:
            runs = attribution.carry(runs, ops[(a.id, b.id)], b.id)
        rows.append(_row(b, digests[i], runs))
    _store(session, rows)
    return runs


def history_of(session: Session, reader: User, version: Version) -> PassageHistory:
    """Who wrote each character of `version`, as `reader` may see it (NotFound when they may
    not see the version). May add a cache row: the caller commits."""
    record = policy.sees_drafting_record(reader)
    shown = published.shown_history(session, reader, version.provision)
    at = next((i for i, v in enumerate(shown) if v.id == version.id), None)
    if at is None:
        raise NotFound("No such version.")
    chain = shown[: at + 1]
    runs = _runs(session, chain, record)
    by_id = {v.id: v for v in chain}
    written = [
        Written(
            start=r.start,
            end=r.end,
            meeting=by_id[r.label].meeting,
            version_id=r.label if record else None,
            author=by_id[r.label].author if record else None,
        )
        for r in runs
    ]
    return PassageHistory(version=chain[-1], runs=written)


def passage(history: PassageHistory, start: int | None, end: int | None) -> list[Written]:
    """The runs of a selected passage [start, end) (the whole text when both are None);
    BadInput for offsets outside the text or an empty passage."""
    size = len(history.version.text)
    if start is None and end is None:
        return history.runs
    if start is None or end is None or not 0 <= start < end <= size:
        raise BadInput(
            f"A passage is two offsets 0 <= start < end <= {size} in the version's text."
        )
    clipped = attribution.within(
        [attribution.Run(r.start, r.end, i) for i, r in enumerate(history.runs)], start, end
    )
    return [
        Written(
            c.start,
            c.end,
            history.runs[c.label].meeting,
            history.runs[c.label].version_id,
            history.runs[c.label].author,
        )
        for c in clipped
    ]


def legend(history: PassageHistory) -> list[tuple[int, Meeting]]:
    """The meetings that wrote this text, numbered 1.. oldest first: the label and pattern
    each run carries on the page (patterns cycle after six)."""
    return [(i, m) for i, m in enumerate(history.meetings, start=1)]


def pieces(history: PassageHistory) -> list[tuple[str, Written, int]]:
    """The text cut into its runs: (text, run, legend number)."""
    number = {m.id: i for i, m in legend(history)}
    text = history.version.text
    return [(text[r.start : r.end], r, number[r.meeting.id]) for r in history.runs]
