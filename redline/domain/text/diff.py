"""The one diff core: tokens, their coding as characters, diff-match-patch, and its time budget.

Every diff in Redline (the word-level redline, a comment anchor's word and character diffs, the
words two provisions share when a draft is matched) comes from here, so the rules below hold
for all of them:

- Tokens. :func:`tokenize` cuts words (maximal runs of \\w, a combining mark glued to its
  letter), whitespace runs and single other characters; :func:`spaced_tokens` keeps the spaces
  after a word or sign with it (anchors); :func:`coarse_tokens` cuts sentences and lines (the
  redline's coarse fallback). Each joins back to the text exactly.
- Coding. A :class:`Codebook` maps each distinct token to one private-use character, so
  diff-match-patch's character diff becomes a token diff (its "lines to chars" trick applied
  to words). Private-use characters are neither letters nor spaces, so the semantic cleanup's
  boundary scoring treats every token alike, in both implementations.
- Engine. The C++ ``fast_diff_match_patch`` is 5-30x faster than the pure-Python library and
  gives the same ops; its answer is checked (it must rebuild both texts) and the pure-Python
  library runs if the wheel is missing or the answer is not valid.
- Budget. diff-match-patch is quadratic in the worst case. Inputs up to :data:`EXACT_UP_TO`
  coded characters get the C++ diff without a time limit (a minimal diff, as always); longer
  ones get ``budget`` seconds (:data:`DIFF_BUDGET`, ``REDLINE_DIFF_BUDGET`` in the
  environment). Past it diff-match-patch answers the rest as deleted and inserted whole (still
  a valid diff); ``strict=True`` raises :class:`OverBudget` instead, so that the caller can
  fall back to something coarser (the redline does).
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence

from diff_match_patch import diff_match_patch

try:  # the C++ build is optional: no wheel on some platforms
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _fast = None

Op = tuple[str, str]  # (kind, text), kind in "equal" | "insert" | "delete"
EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_DMP_KIND = {0: EQUAL, 1: INSERT, -1: DELETE}
_DMP_CODE = {EQUAL: 0, INSERT: 1, DELETE: -1}
_FAST_KIND = {"=": EQUAL, "+": INSERT, "-": DELETE}

# --- tokens ----------------------------------------------------------------------------------

# A word is a maximal run of \w (Unicode letters, digits, underscore); hyphen and apostrophe are
# punctuation, so "co-operation" -> "cooperation" reads as one replaced expression, not a
# mangled word. Whitespace runs are one token; anything else is one character.
_TOKEN_RE = re.compile(r"\w+|\s+|.", re.DOTALL)
WORD_RE = re.compile(r"\w+")
# A word or a sign with the spaces after it, or leading spaces: the anchors' unit.
_SPACED_RE = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
# A coarse token ends after a line break, or after sentence punctuation and its whitespace.
_COARSE_RE = re.compile(r"[^\n]*?(?:[.;:!?]\s+|\n\s*)|[^\n]+\Z", re.DOTALL)


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
        elif out and WORD_RE.match(tok) and _is_wordish(out[-1]):
            # Two word tokens in a row only happen after a mark was glued on: one word again.
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _is_wordish(tok: str) -> bool:
    return bool(WORD_RE.match(tok)) or unicodedata.category(tok[0])[0] == "M"


def spaced_tokens(text: str) -> list[str]:
    """Words and signs each with the whitespace after it (and a leading whitespace run)."""
    return _SPACED_RE.findall(text)


def coarse_tokens(text: str) -> list[str]:
    """Cut text into sentences and lines (each with the whitespace after it); "".join() == text.
    Every cut falls just after whitespace, so never inside a word."""
    return _COARSE_RE.findall(text)


# --- coding tokens as characters -------------------------------------------------------------

# 6,400 code points in the BMP, then the two supplementary private-use planes (131,068 more).
_PUA = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
MAX_TOKENS = sum(hi - lo + 1 for lo, hi in _PUA)


class OverBudget(Exception):
    """A diff ran past its time budget (with ``strict=True``)."""


class TooManyTokens(OverBudget):
    """More distinct tokens than private-use code points: too large to diff by tokens."""


def _code_point(index: int) -> str:
    for lo, hi in _PUA:
        if index <= hi - lo:
            return chr(lo + index)
        index -= hi - lo + 1
    raise TooManyTokens(f"more than {MAX_TOKENS} distinct tokens: diff smaller pieces")


class Codebook:
    """Distinct tokens, each coded as one private-use character. One codebook codes both sides
    of a diff (or every provision of two drafts being matched), so equal tokens get equal
    characters."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._tokens: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._codes)

    def encode(self, tokens: Iterable[str]) -> str:
        codes, table = self._codes, self._tokens
        chars = []
        for tok in tokens:
            ch = codes.get(tok)
            if ch is None:
                ch = _code_point(len(codes))
                codes[tok] = ch
                table[ord(ch)] = tok
            chars.append(ch)
        return "".join(chars)

    def decode(self, coded: str) -> str:
        return coded.translate(self._tokens)


# --- the engine ------------------------------------------------------------------------------


def _budget_from_env() -> float:
    try:
        return max(0.05, float(os.environ.get("REDLINE_DIFF_BUDGET", "2")))
    except ValueError:
        return 2.0


# Seconds one diff may run before it is cut short (or, strict, abandoned).
DIFF_BUDGET = _budget_from_env()

# diff-match-patch finds a minimal diff only without a time limit: given one, it also takes the
# "half match" shortcut, which can change the answer. Inputs up to this many coded characters
# (both sides; under a second even in the worst case with the C++ build) are diffed without
# a limit, so every ordinary provision gets exactly the diff it always got; longer ones get
# the budget. The pure-Python library is given the budget always, without the shortcut.
EXACT_UP_TO = 10_000


class MinimalDiff(diff_match_patch):
    """The pure-Python diff-match-patch with a deadline but never the half-match shortcut:
    the same minimal diff as without a limit, unless the deadline passes."""

    def diff_halfMatch(self, text1, text2):  # noqa: N802 - the library's name
        return None


def rebuilds(ops: Iterable[Op], a: str, b: str) -> bool:
    """Do the ops turn `a` into `b` (equal+delete texts == a, equal+insert texts == b)?"""
    ops = list(ops)
    return (
        "".join(t for k, t in ops if k != INSERT) == a
        and "".join(t for k, t in ops if k != DELETE) == b
    )


def _fast_diff(a: str, b: str, limit: float, semantic: bool) -> list[Op] | None:
    if _fast is None:
        return None
    try:
        raw = _fast.diff(
            a,
            b,
            timelimit=limit,
            checklines=False,
            cleanup="Semantic" if semantic else "No",
            counts_only=False,
        )
        ops = [(_FAST_KIND[k], t) for k, t in raw]
    except Exception:  # any failure of the optional C++ path means "use Python"
        return None
    return ops if rebuilds(ops, a, b) else None  # trust, but verify


def _python_diff(a: str, b: str, budget: float, semantic: bool) -> list[Op]:
    dmp = MinimalDiff()
    dmp.Diff_Timeout = budget  # 0: no limit
    diffs = dmp.diff_main(a, b, False)  # no line mode: coded strings have no newlines
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
    return [(_DMP_KIND[k], t) for k, t in diffs]


def diff_chars(
    a: str,
    b: str,
    *,
    budget: float | None = None,
    semantic: bool = True,
    strict: bool = False,
    use_fast: bool = True,
    exact_up_to: int = EXACT_UP_TO,
) -> list[Op]:
    """The character diff of `a` and `b` (coded tokens, or plain text), semantically cleaned
    unless `semantic=False`. `budget`: seconds (default DIFF_BUDGET, 0: none); inputs of at
    most `exact_up_to` characters in all get the C++ diff without a limit. `strict`: raise
    OverBudget when the budget is spent instead of answering with the cut-short diff.
    `use_fast=False` forces the pure-Python library (tests and the benchmark)."""
    budget = DIFF_BUDGET if budget is None else budget
    ops = None
    if use_fast:
        limit = 0 if len(a) + len(b) <= exact_up_to else budget
        started = time.monotonic()
        ops = _fast_diff(a, b, limit, semantic)
        if strict and limit and time.monotonic() - started >= limit * 0.98:
            raise OverBudget
    if ops is None:
        started = time.monotonic()
        ops = _python_diff(a, b, budget, semantic)
        if strict and budget and time.monotonic() - started >= budget * 0.98:
            raise OverBudget
    return ops


def diff_tokens(a: Sequence[str], b: Sequence[str], **options) -> tuple[list[Op], Codebook]:
    """The token diff of two token lists, coded (ops over coded characters) with the codebook
    that decodes them; `options` as :func:`diff_chars`. TooManyTokens if they cannot be
    coded."""
    book = Codebook()
    coded_a, coded_b = book.encode(a), book.encode(b)
    return diff_chars(coded_a, coded_b, **options), book


def decode(ops: Iterable[Op], book: Codebook) -> list[Op]:
    return [(kind, book.decode(text)) for kind, text in ops]


def diff_text(a: str, b: str, tokens=tokenize, **options) -> list[Op]:
    """The diff of two texts cut by `tokens` (words by default), decoded back to text."""
    ops, book = diff_tokens(tokens(a), tokens(b), **options)
    return decode(ops, book)


def cleanup_semantic(ops: Iterable[Op]) -> list[Op]:
    """diff-match-patch's semantic cleanup (its pure-Python one: the same in both builds)."""
    diffs = [(_DMP_CODE[k], t) for k, t in ops]
    diff_match_patch().diff_cleanupSemantic(diffs)
    return [(_DMP_KIND[k], t) for k, t in diffs]


def common_length(a: str, b: str, *, use_fast: bool = True) -> int:
    """How many characters `a` and `b` have in common, in order (a minimal diff's equal text:
    the longest common subsequence), without a time limit."""
    if use_fast and _fast is not None:
        try:
            counts = _fast.diff(a, b, timelimit=0, checklines=False, cleanup="No", counts_only=True)
        except Exception:  # any failure of the optional C++ path means "use Python"
            counts = None
        if counts is not None and (
            sum(n for k, n in counts if k != "+") == len(a)
            and sum(n for k, n in counts if k != "-") == len(b)
        ):
            return sum(n for k, n in counts if k == "=")
    return sum(len(t) for k, t in _python_diff(a, b, 0, False) if k == EQUAL)


def match(text: str, pattern: str, loc: int) -> int:
    """Start of diff-match-patch's best approximate (bitap) match of `pattern` (at most 32
    characters) near `loc` in `text`, or -1; the C++ build when it is there."""
    if _fast is not None:
        return _fast.match(text, pattern, loc)
    return diff_match_patch().match_main(text, pattern, loc)
