"""Word-level redlines: what changed between two texts of one provision.

Both texts are diffed word by word by the diff core (`redline.domain.text.diff`: tokens,
private-use coding, the checked C++ diff with its pure-Python fallback, the time budget).
Past the budget (`DIFF_BUDGET` seconds, `REDLINE_DIFF_BUDGET` in the environment) the
word-level diff is abandoned for a coarse one over sentence and line tokens, itself budgeted;
past that, the common leading and trailing sentences are kept and the middle is struck out and
inserted whole. A coarse redline is exact all the same (it rebuilds both texts, its boundaries
fall after whitespace, so never inside a word), and its type, :class:`CoarseOps`, says it is
coarse so that the page and the API can tell the reader ("coarse redline: the change was too
large to show word by word").

Guarantees of `redline(old, new)`:
- equal+delete texts joined == old, equal+insert texts joined == new;
- no op boundary falls inside a word on either side (op boundaries are token boundaries, and a
  word token is a maximal run of word characters);
- adjacent ops never share a kind, no op is empty, and in a change a delete precedes its insert;
- symmetry: redline(new, old) is redline(old, new) with insert and delete swapped. Both
  directions are computed the same way, so comparing meeting 5 with 3 mirrors 3 with 5.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from redline.domain.text.diff import (
    DELETE,
    DIFF_BUDGET,
    EQUAL,
    INSERT,
    WORD_RE,
    Op,
    OverBudget,
    coarse_tokens,
    diff_text,
    tokenize,
)

__all__ = ["DELETE", "EQUAL", "INSERT", "Op", "coarse_tokens", "redline", "tokenize"]

COARSE_NOTE = "coarse redline: the change was too large to show word by word"


class CoarseOps(list):
    """Ops from the coarse fallback: a list of ops like any other, whose type says the redline
    is coarse (sentence and line tokens, not words)."""

    coarse = True


def is_coarse(ops: object) -> bool:
    return bool(getattr(ops, "coarse", False))


def _diff_tokens(
    old: str, new: str, *, use_fast: bool = True, budget: float = 0, coarse: bool = False
) -> list[Op]:
    """The strict diff core over words (or, coarse, sentences and lines); OverBudget past the
    budget. The coarse fallback is already approximate: always within the budget."""
    return diff_text(
        old,
        new,
        coarse_tokens if coarse else tokenize,
        budget=budget,
        strict=True,
        use_fast=use_fast,
        **({"exact_up_to": 0} if coarse else {}),
    )


def _normalise(ops: Iterable[Op]) -> list[Op]:
    """Drop empty ops, merge neighbours of one kind, put each delete before its insert."""
    out: list[Op] = []
    pending = {DELETE: "", INSERT: ""}
    for kind, text in ops:
        if not text:
            continue
        if kind == EQUAL:
            out.extend((k, pending[k]) for k in (DELETE, INSERT) if pending[k])
            pending = {DELETE: "", INSERT: ""}
            if out and out[-1][0] == EQUAL:
                out[-1] = (EQUAL, out[-1][1] + text)
            else:
                out.append((EQUAL, text))
        else:
            pending[kind] += text
    out.extend((k, pending[k]) for k in (DELETE, INSERT) if pending[k])
    return out


def _swap(ops: Iterable[Op]) -> list[Op]:
    flip = {EQUAL: EQUAL, INSERT: DELETE, DELETE: INSERT}
    return _normalise((flip[k], t) for k, t in ops)


def redline(old: str, new: str, *, use_fast: bool = True, budget: float | None = None) -> list[Op]:
    """Word-level ops turning `old` into `new` (see the module docstring for the guarantees).

    `use_fast=False` forces the pure-Python library (for tests and the benchmark). `budget`
    is the time in seconds the word-level diff may take (default `DIFF_BUDGET`; 0: no limit);
    past it the answer is a :class:`CoarseOps` (still exact, in sentences and lines).
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    budget = DIFF_BUDGET if budget is None else budget
    # Always diff in one canonical direction and mirror the other: diff-match-patch is not
    # symmetric on ties, and a drafter comparing in both directions should see the same edit.
    flip = old > new
    a, b = (new, old) if flip else (old, new)
    try:
        ops = _diff_tokens(a, b, use_fast=use_fast, budget=budget)
    except OverBudget:
        return coarse_redline(old, new, use_fast=use_fast, budget=budget)
    return _swap(ops) if flip else _normalise(ops)


def coarse_redline(
    old: str,
    new: str,
    *,
    use_fast: bool = True,
    budget: float | None = None,
    sentences: bool = True,
) -> CoarseOps:
    """The fallback of :func:`redline`: ops over sentence and line tokens (within `budget`),
    or with `sentences=False` (or past the budget) only the common leading and trailing
    sentences kept. Exact, symmetric, no boundary inside a word."""
    budget = DIFF_BUDGET if budget is None else budget
    flip = old > new
    a, b = (new, old) if flip else (old, new)
    ops: list[Op] | None = None
    if sentences:
        try:
            ops = _diff_tokens(a, b, use_fast=use_fast, budget=budget, coarse=True)
        except OverBudget:
            ops = None
    if ops is None:
        ops = _trimmed(a, b)
    return CoarseOps(_swap(ops) if flip else _normalise(ops))


def _trimmed(old: str, new: str) -> list[Op]:
    """The last resort, linear: common leading and trailing sentences kept, the rest replaced."""
    a, b = coarse_tokens(old), coarse_tokens(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return [
        (EQUAL, "".join(a[:head])),
        (DELETE, "".join(a[head : len(a) - tail])),
        (INSERT, "".join(b[head : len(b) - tail])),
        (EQUAL, "".join(a[len(a) - tail :])),
    ]


def old_text(ops: Iterable[Op]) -> str:
    return "".join(t for k, t in ops if k != INSERT)


def new_text(ops: Iterable[Op]) -> str:
    return "".join(t for k, t in ops if k != DELETE)


@dataclass(frozen=True)
class Stats:
    inserted_words: int
    deleted_words: int


def stats(ops: Iterable[Op]) -> Stats:
    """Words (runs of \\w) inside inserted and deleted text."""
    ins = dele = 0
    for kind, text in ops:
        if kind == INSERT:
            ins += len(WORD_RE.findall(text))
        elif kind == DELETE:
            dele += len(WORD_RE.findall(text))
    return Stats(inserted_words=ins, deleted_words=dele)


_TAG = {INSERT: "ins", DELETE: "del"}


def _render(ops: Iterable[Op], show: frozenset[str]) -> Markup:
    # Every text goes through escape(); newlines stay as they are (the stylesheet uses
    # white-space: pre-wrap), never <br>. Plain string concatenation of escaped pieces is
    # several times faster than Markup.format per op, and this runs for every provision.
    parts: list[str] = []
    for kind, text in ops:
        if kind == EQUAL:
            parts.append(escape(text))
        elif kind in show:
            tag = _TAG[kind]
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    return Markup("".join(parts))  # noqa: S704 - every piece above is escaped


def render_inline(ops: Iterable[Op]) -> Markup:
    """Both texts in one: deletions in <del>, insertions in <ins>."""
    return _render(ops, frozenset({INSERT, DELETE}))


def render_old(ops: Iterable[Op]) -> Markup:
    """The old text with what was deleted marked <del> (left column of a side-by-side view)."""
    return _render(ops, frozenset({DELETE}))


def render_new(ops: Iterable[Op]) -> Markup:
    """The new text with what was inserted marked <ins> (right column of a side-by-side view)."""
    return _render(ops, frozenset({INSERT}))


def ops_to_json(ops: Iterable[Op]) -> list[list[str]]:
    return [[kind, text] for kind, text in ops]


def ops_from_json(data: Sequence[Sequence[str]]) -> list[Op]:
    """Inverse of ops_to_json (for cached diffs); rejects unknown kinds."""
    ops: list[Op] = []
    for kind, text in data:
        if kind not in (EQUAL, INSERT, DELETE) or not isinstance(text, str):
            raise ValueError(f"not a redline op: {kind!r}")
        ops.append((kind, text))
    return ops
