"""Word-level redlines: what changed between two texts of one provision.

Both texts are cut into tokens (words, runs of whitespace, single other characters). Each distinct
token is mapped to one private-use character, so diff-match-patch's character diff becomes a token
diff (its "lines to chars" trick applied to words).

A diff has a time budget (`DIFF_BUDGET` seconds, `REDLINE_DIFF_BUDGET` in the environment):
diff-match-patch is quadratic in the worst case, and a 200,000-character provision of shuffled
short words against another shuffle runs for half a minute. Past the budget the word-level diff
is abandoned for a coarse one over sentence and line tokens (pieces ending after a line break or
after sentence punctuation and the whitespace that follows), itself budgeted; past that, the
common leading and trailing sentences are kept and the middle is struck out and inserted whole.
A coarse redline is exact all the same (it rebuilds both texts, its boundaries fall after
whitespace, so never inside a word), and its type, :class:`CoarseOps`, says it is coarse so that
the page and the API can tell the reader ("coarse redline: the change was too large to show
word by word").

Guarantees of `redline(old, new)`:
- equal+delete texts joined == old, equal+insert texts joined == new;
- no op boundary falls inside a word on either side (op boundaries are token boundaries, and a
  word token is a maximal run of word characters);
- adjacent ops never share a kind, no op is empty, and in a change a delete precedes its insert;
- symmetry: redline(new, old) is redline(old, new) with insert and delete swapped. Both
  directions are computed the same way, so comparing meeting 5 with 3 mirrors 3 with 5.

The C++ `fast_diff_match_patch` is 5-25x faster than the pure-Python library on the GPLv3
drafts (bench/redline_bench.py) and gives the same ops there; its output is checked (it must
rebuild both texts) and the pure-Python library is used if it is missing or its answer is not
valid.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

try:  # the C++ build is optional: no wheel on some platforms
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _fast = None

Op = tuple[str, str]  # (kind, text), kind in "equal" | "insert" | "delete"

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_DMP_KIND = {0: EQUAL, 1: INSERT, -1: DELETE}
_FAST_KIND = {"=": EQUAL, "+": INSERT, "-": DELETE}

# A word is a maximal run of \w (Unicode letters, digits, underscore); hyphen and apostrophe are
# punctuation, so "co-operation" -> "cooperation" reads as one replaced expression, not a
# mangled word. Whitespace runs are one token; anything else is one character.
_TOKEN_RE = re.compile(r"\w+|\s+|.", re.DOTALL)
_WORD_RE = re.compile(r"\w+")

# Private-use code points stand in for tokens: 6,400 in the BMP, then the two supplementary
# private-use planes (131,068 more). Private-use characters are neither letters nor spaces, so
# diff-match-patch's boundary scoring treats every token alike, in both implementations.
_PUA = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
_MAX_TOKENS = sum(hi - lo + 1 for lo, hi in _PUA)


def _budget_from_env() -> float:
    try:
        return max(0.05, float(os.environ.get("REDLINE_DIFF_BUDGET", "2")))
    except ValueError:
        return 2.0


# Seconds one word-level diff may run (and again the coarse one) before falling back.
DIFF_BUDGET = _budget_from_env()

COARSE_NOTE = "coarse redline: the change was too large to show word by word"

# A coarse token ends after a line break, or after sentence punctuation and its whitespace.
_COARSE_RE = re.compile(r"[^\n]*?(?:[.;:!?]\s+|\n\s*)|[^\n]+\Z", re.DOTALL)

# A replaced "word" longer than this is not refined character by character (a provision with
# no whitespace at all is one word; its character diff would be quadratic).
_REFINE_MAX = 200


# diff-match-patch finds a minimal diff only without a time limit: given one, it also takes the
# "half match" shortcut, which can change the answer. Inputs up to this many coded characters
# (both sides; under a second even in the worst case with the C++ build) are diffed without
# a limit, so every ordinary provision gets exactly the diff it always got; longer ones get
# the budget. The pure-Python library is given the budget always, without the shortcut.
EXACT_UP_TO = 10_000


def time_limit(a: str, b: str, budget: float) -> float:
    """The time limit to give the C++ diff of `a` and `b` (0: none)."""
    return 0 if len(a) + len(b) <= EXACT_UP_TO else budget


class MinimalDiff(diff_match_patch):
    """The pure-Python diff-match-patch with a deadline but never the half-match shortcut:
    the same minimal diff as without a limit, unless the deadline passes."""

    def diff_halfMatch(self, text1, text2):  # noqa: N802 - the library's name
        return None


class CoarseOps(list):
    """Ops from the coarse fallback: a list of ops like any other, whose type says the redline
    is coarse (sentence and line tokens, not words)."""

    coarse = True


class _OverBudget(Exception):
    """The diff ran past its budget (or has more distinct tokens than code points)."""


def is_coarse(ops: object) -> bool:
    return bool(getattr(ops, "coarse", False))


def tokenize(text: str) -> list[str]:
    """Cut text into words, whitespace runs and single other characters; "".join() == text.

    A combining mark (e.g. a decomposed accent, a Devanagari vowel sign) is not \\w in Python's
    `re`; it is glued to the token before it, and a word split by it is joined again, so a
    diff never separates a letter from its accent.
    """
    tokens = _TOKEN_RE.findall(text)
    if text.isascii():
        return tokens
    out: list[str] = []
    for tok in tokens:
        if out and len(tok) == 1 and unicodedata.category(tok)[0] == "M":
            out[-1] += tok
        elif out and _WORD_RE.match(tok) and _is_wordish(out[-1]):
            # Two word tokens in a row only happen after a mark was glued on: one word again.
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _is_wordish(tok: str) -> bool:
    return bool(_WORD_RE.match(tok)) or unicodedata.category(tok[0])[0] == "M"


def _encode(old: list[str], new: list[str]) -> tuple[str, str, list[str]]:
    """Map each distinct token to one private-use character; return both strings and the table."""
    codes: dict[str, str] = {}
    table: list[str] = []

    def enc(tokens: list[str]) -> str:
        chars = []
        for tok in tokens:
            ch = codes.get(tok)
            if ch is None:
                ch = _code_point(len(table))
                codes[tok] = ch
                table.append(tok)
            chars.append(ch)
        return "".join(chars)

    return enc(old), enc(new), table


def _code_point(index: int) -> str:
    for lo, hi in _PUA:
        if index <= hi - lo:
            return chr(lo + index)
        index -= hi - lo + 1
    raise ValueError(f"more than {_MAX_TOKENS} distinct tokens: diff smaller pieces")


def _diff_fast(a: str, b: str, budget: float = 0) -> list[tuple[str, str]] | None:
    if _fast is None:
        return None
    try:
        raw = _fast.diff(a, b, timelimit=budget, cleanup="Semantic", counts_only=False)
    except Exception:  # any failure of the optional C++ path means "use Python"
        return None
    ops = [(_FAST_KIND[k], t) for k, t in raw]
    # Trust but verify: the answer must rebuild both strings exactly.
    if (
        "".join(t for k, t in ops if k != INSERT) != a
        or "".join(t for k, t in ops if k != DELETE) != b
    ):
        return None
    return ops


def _diff_python(a: str, b: str, budget: float = 0) -> list[tuple[str, str]]:
    dmp = MinimalDiff()
    # 0: no limit. A timed-out diff-match-patch answers delete-all/insert-all for what is left,
    # which is valid but useless to a drafter: the caller sees the time and falls back.
    dmp.Diff_Timeout = budget
    # checklines=False: encoded strings have no newlines, line mode would only add work.
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(_DMP_KIND[k], t) for k, t in diffs]


def _diff_tokens(
    old: str, new: str, *, use_fast: bool = True, budget: float = 0, coarse: bool = False
) -> list[Op]:
    split = coarse_tokens if coarse else tokenize
    a_toks, b_toks = split(old), split(new)
    try:
        a, b, table = _encode(a_toks, b_toks)
    except ValueError:
        raise _OverBudget from None
    started = time.monotonic()
    coded = None
    if use_fast:
        # The coarse fallback is already approximate: always within the budget.
        limit = budget if coarse else time_limit(a, b, budget)
        coded = _diff_fast(a, b, limit)
        if limit and time.monotonic() - started >= limit * 0.98:
            raise _OverBudget
    if coded is None:
        started = time.monotonic()
        coded = _diff_python(a, b, budget)
        if budget and time.monotonic() - started >= budget * 0.98:
            raise _OverBudget
    # One dict lookup per character: decoding is on the hot path of every cold redline.
    decode = {_code_point(i): tok for i, tok in enumerate(table)}
    return [(kind, "".join(map(decode.__getitem__, text))) for kind, text in coded]


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


def coarse_tokens(text: str) -> list[str]:
    """Cut text into sentences and lines (each with the whitespace after it); "".join() == text.
    Every cut falls just after whitespace, so never inside a word."""
    return _COARSE_RE.findall(text)


def redline(
    old: str, new: str, *, use_fast: bool = True, budget: float | None = None
) -> list[Op]:
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
    except _OverBudget:
        return coarse_redline(old, new, use_fast=use_fast, budget=budget)
    return _swap(ops) if flip else _normalise(ops)


def coarse_redline(
    old: str, new: str, *, use_fast: bool = True, budget: float | None = None,
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
        except _OverBudget:
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
            ins += len(_WORD_RE.findall(text))
        elif kind == DELETE:
            dele += len(_WORD_RE.findall(text))
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


def refine_words(ops: Sequence[Op], *, min_shared: float = 0.6) -> list[Op]:
    """For display only: show a replaced single word character by character when it is similar.

    "co-operation" -> "cooperation" becomes co<del>-</del>operation rather than the whole
    expression struck out. Only a delete directly followed by an insert, both free of
    whitespace, whose shared characters are at least `min_shared` of the longer one, is
    refined. The result still rebuilds both texts exactly, but its boundaries may fall inside
    words, so it must never be stored or used where `redline()`'s guarantees are relied on.
    """
    out: list[Op] = []
    i = 0
    while i < len(ops):
        kind, text = ops[i]
        if (
            kind == DELETE
            and i + 1 < len(ops)
            and ops[i + 1][0] == INSERT
            and max(len(text), len(ops[i + 1][1])) <= _REFINE_MAX
            and not any(c.isspace() for c in text + ops[i + 1][1])
        ):
            ins = ops[i + 1][1]
            dmp = diff_match_patch()
            dmp.Diff_Timeout = 0
            diffs = dmp.diff_main(text, ins, False)
            dmp.diff_cleanupSemantic(diffs)
            shared = sum(len(t) for k, t in diffs if k == 0)
            if shared >= min_shared * max(len(text), len(ins)):
                out.extend((_DMP_KIND[k], t) for k, t in diffs)
                i += 2
                continue
        out.append((kind, text))
        i += 1
    return _normalise(out)
