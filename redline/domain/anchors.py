"""Anchors: keep a comment on its passage while the provision text changes.

The model is the one Hypothesis and the W3C Web Annotation spec use. A comment is made on one
version's text and stores two selectors for the passage it is about (a :class:`Quote`):

* a *position* selector, ``start``/``end`` offsets into that version's text, and
* a *quote* selector, the ``exact`` passage plus up to 32 characters of ``prefix``/``suffix``.

All offsets are Python string indices, i.e. **Unicode code points** (an emoji is one
character). Browsers count UTF-16 code units; the caller converts before building a Quote.

:func:`relocate` places a quote on a later version of the same provision and says how sure it is:

``anchored``
    No edit touches the passage: it lies inside one unchanged run of a precise (minimal,
    uncleaned) character diff original -> target, so the target holds it at the shifted
    offsets and ``target[start:end] == exact``. This is the only evidence that makes a passage
    anchored: finding the same words elsewhere is not evidence (the trap: "the Party shall
    ensure that the Party may" with the comment on the first "Party"; once that one is
    edited, the second one is a different passage).
``changed``
    Edits fall inside the passage but at least half of its characters survive (counted on
    the semantically cleaned diff, so letters that merely happen to coincide in a rewrite do
    not count); the span is the mapped one, widened to cover replacements of its edges. Or:
    the passage was deleted (almost) entirely but is found again approximately near where it
    was (head and tail matched separately, since bitap matching takes 32 characters), with a
    plausible length, a text at least half similar, a context (prefix + suffix) at least
    half similar, and made mostly of *new* text: a span the diff shows as text that already
    existed elsewhere in the original is a look-alike, not the passage. A passage moved
    intact within the provision together with its surroundings is therefore ``changed`` at
    its new place; moved alone into different surroundings it is ``orphaned``.
``orphaned``
    None of the above; ``start`` and ``end`` are None. The comment still shows, exactly, on
    the version it was made on.

:func:`relocate_many` diffs each (original, target) pair once and maps every quote by binary
search over the diff's segments, so 1,000 comments cost about one diff, not 1,000.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from diff_match_patch import diff_match_patch

try:  # the C++ build of the same library; code points, ~30x faster than pure Python
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - the pure-Python library is the fallback
    _fast = None

CONTEXT = 32  # characters of prefix/suffix kept; also the longest reliable match_main pattern
MIN_SURVIVAL = 0.5  # share of the passage that must survive in place to stay "changed"
MIN_SIMILARITY = 0.5  # similarity needed for text and context of a passage found again
LENGTH_SLACK = 0.5  # a passage found again may be this much shorter or longer


class AnchorError(ValueError):
    """A selection that cannot be a comment anchor; the message can be shown to the user."""


@dataclass(frozen=True)
class Quote:
    """Where a comment sits in the version it was made on (position + quote selectors)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Placement:
    """Where a quote sits in a later version; ``start``/``end`` are None when orphaned."""

    status: str  # "anchored" | "changed" | "orphaned"
    start: int | None = None
    end: int | None = None

    def exact_in(self, text: str) -> str | None:
        """The passage of ``text`` this placement covers, or None when orphaned."""
        return None if self.start is None or self.end is None else text[self.start : self.end]


ORPHANED = Placement("orphaned")


def quote_for(text: str, start: int, end: int, exact: str | None = None) -> Quote:
    """Build the selectors for ``text[start:end]``; check the selection against the text."""
    if isinstance(start, bool) or isinstance(end, bool) or not (
        isinstance(start, int) and isinstance(end, int)
    ):
        raise AnchorError("The selection's start and end must be whole numbers.")
    if start < 0:
        raise AnchorError("The selection starts before the beginning of the text.")
    if end > len(text):
        raise AnchorError("The selection ends after the end of the text.")
    if start == end:
        raise AnchorError("The selection is empty: select at least one character.")
    if start > end:
        raise AnchorError("The selection ends before it starts.")
    if exact is not None and text[start:end] != exact:
        raise AnchorError(
            "The selected text does not match the text at that position; the text may have "
            "changed since you selected it. Reload the page and select the passage again."
        )
    return Quote(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def relocate(quote: Quote, original_text: str, target_text: str) -> Placement:
    """Place ``quote`` (made on ``original_text``) on ``target_text``; see the module doc."""
    return relocate_many([quote], original_text, target_text)[0]


def relocate_many(
    quotes: Sequence[Quote], original_text: str, target_text: str
) -> list[Placement]:
    """Place every quote made on ``original_text`` on ``target_text``, diffing once."""
    for quote in quotes:
        if not (
            0 <= quote.start < quote.end <= len(original_text)
            and original_text[quote.start : quote.end] == quote.exact
        ):
            raise AnchorError("A comment's quote does not match the version it was made on.")
    if original_text == target_text:
        return [Placement("anchored", q.start, q.end) for q in quotes]
    mapping = _mapping(original_text, target_text)
    return [mapping.place(q) for q in quotes]


# --- diff backend -------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")  # a word or a sign, with the spaces after it


def _raw_diff(a: str, b: str, semantic: bool = False) -> list[tuple[str, str]]:
    """A minimal character diff, ops ("=" | "-" | "+", text); no time limit, no line mode."""
    if _fast is not None:
        cleanup = "Semantic" if semantic else "No"
        return _fast.diff(a, b, timelimit=0, checklines=False, cleanup=cleanup, counts_only=False)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    ops = dmp.diff_main(a, b, False)
    if semantic:
        dmp.diff_cleanupSemantic(ops)
    return [("=-+"[-op], s) for op, s in ops]  # 0 "=", -1 "-", 1 "+"


def _diff(a: str, b: str) -> list[tuple[str, str]]:
    """Diff words first, then characters inside each replaced run of words.

    This is diff-match-patch's line mode applied to words. A bare character diff of a
    rewritten sentence aligns letters that merely coincide (the "t" of "Party" with the "t" of
    "State") and so re-anchors passages on look-alikes; whole words align only when they are
    really there. Inside a replaced run a semantically cleaned character diff keeps small
    edits precise ("Party" -> "Parties") without trusting coincidences.
    """
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(codes.setdefault(w, chr(0x10000 + len(codes))) for w in _TOKEN.findall(text))

    coded = _raw_diff(encode(a), encode(b))
    words = list(codes)
    ops: list[tuple[str, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and inserted:
            ops.extend(_raw_diff("".join(deleted), "".join(inserted), semantic=True))
        elif deleted or inserted:
            ops.append(("-", "".join(deleted)) if deleted else ("+", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, code in coded:
        text = "".join(words[ord(c) - 0x10000] for c in code)
        if op == "=":
            flush()
            ops.append(("=", text))
        else:
            (deleted if op == "-" else inserted).append(text)
    flush()
    return ops


def _match(text: str, pattern: str, loc: int) -> int:
    """Best approximate match of ``pattern`` (<= 32 chars) near ``loc``, or -1."""
    loc = min(max(loc, 0), len(text))
    if _fast is not None:
        return _fast.match(text, pattern, loc)
    return diff_match_patch().match_main(text, pattern, loc)


def _similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / longer length (1.0 for two empty strings)."""
    if a == b:
        return 1.0
    distance = inserted = deleted = 0
    for op, s in _raw_diff(a, b):
        if op == "=":
            distance += max(inserted, deleted)
            inserted = deleted = 0
        elif op == "+":
            inserted += len(s)
        else:
            deleted += len(s)
    distance += max(inserted, deleted)
    return 1 - distance / max(len(a), len(b))


def _aligned_end(pattern: str, text: str, at: int) -> int:
    """End in ``text`` of the best alignment of ``pattern`` starting at ``at``."""
    window = text[at : at + 2 * len(pattern) + 1]
    need, end = len(pattern), at
    for op, s in _raw_diff(pattern, window):
        if need <= 0:
            break
        if op == "+":
            end += len(s)
        elif op == "=":
            end += min(len(s), need)
            need -= len(s)
        else:
            need -= len(s)
    return end


def _inside_word(text: str, i: int) -> bool:
    """Does offset ``i`` fall between two word characters of ``text``?"""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


# --- the precomputed mapping of one (original, target) pair --------------------------------


class _Mapping:
    """The diff of one pair as a table of segments, searched by bisection.

    Segments alternate between unchanged runs and edits; an edit merges the deletion and the
    insertion between two unchanged runs (a replacement). Each is (unchanged?, o0, o1, t0, t1):
    original_text[o0:o1] became target_text[t0:t1].
    """

    def __init__(self, original: str, target: str) -> None:
        self.original, self.target = original, target
        self.segs: list[tuple[bool, int, int, int, int]] = []
        o = t = 0
        for op, s in _diff(original, target):
            do, dt = (len(s) if op != "+" else 0), (len(s) if op != "-" else 0)
            if self.segs and self.segs[-1][0] == (op == "="):  # extend the current segment
                equal, o0, _, t0, _ = self.segs.pop()
                self.segs.append((equal, o0, o + do, t0, t + dt))
            else:
                self.segs.append((op == "=", o, o + do, t, t + dt))
            o, t = o + do, t + dt
        self.seg_o1 = [seg[2] for seg in self.segs]
        self.seg_t1 = [seg[4] for seg in self.segs]

    def place(self, q: Quote) -> Placement:
        n = q.end - q.start
        first = bisect_right(self.seg_o1, q.start)  # the segment holding the first character
        last = bisect_right(self.seg_o1, q.end - 1)  # ... and the last one
        equal, o0, _, t0, _ = self.segs[first]
        if first == last and equal:  # inside one unchanged run: no edit touches it
            return Placement("anchored", t0 + q.start - o0, t0 + q.end - o0)
        start = t0 + q.start - o0 if equal else t0  # a replaced edge counts its replacement
        equal, o0, _, t0, t1 = self.segs[last]
        end = t0 + q.end - o0 if equal else t1
        start, end = self._snap(q, start, end)
        survived = sum(
            min(o1, q.end) - max(o0, q.start)
            for equal, o0, o1, _, _ in self.segs[first : last + 1]
            if equal
        )
        if survived >= MIN_SURVIVAL * n and self._plausible(q.exact, start, end):
            return Placement("changed", start, end)
        return self._find_again(q, start)

    def _snap(self, q: Quote, start: int, end: int) -> tuple[int, int]:
        """Widen a span that cuts a word in two when the quote did not (whole words stay whole)."""
        o, t = self.original, self.target
        if not _inside_word(o, q.start):
            while _inside_word(t, start) and start < end:
                start -= 1
        if not _inside_word(o, q.end):
            while _inside_word(t, end) and end > start:
                end += 1
        return start, end

    def _plausible(self, exact: str, start: int, end: int) -> bool:
        """Does target[start:end] look like a changed ``exact`` (length and similarity)?"""
        n = len(exact)
        return (1 - LENGTH_SLACK) * n <= end - start <= (1 + LENGTH_SLACK) * n and (
            _similarity(exact, self.target[start:end]) >= MIN_SIMILARITY
        )

    def _find_again(self, q: Quote, loc: int) -> Placement:
        """Look for a deleted passage near ``loc``; refuse look-alikes (see module doc)."""
        text, n = self.target, len(q.exact)
        head, tail = q.exact[:CONTEXT], q.exact[-CONTEXT:]
        start = _match(text, head, loc)
        if start < 0:
            return ORPHANED
        if n <= CONTEXT:
            end = _aligned_end(head, text, start)
        else:
            tail_at = _match(text, tail, start + n - len(tail))
            if tail_at < start:
                return ORPHANED
            end = _aligned_end(tail, text, tail_at)
        start, end = self._snap(q, start, end)
        if not self._plausible(q.exact, start, end):
            return ORPHANED
        # The quote as a whole (prefix + exact + suffix) must agree at least half.
        before = text[max(0, start - len(q.prefix)) : start]
        after = text[end : end + len(q.suffix)]
        weighted = (
            _similarity(q.prefix, before) * len(q.prefix)
            + _similarity(q.exact, text[start:end]) * n
            + _similarity(q.suffix, after) * len(q.suffix)
        )
        if weighted < MIN_SIMILARITY * (len(q.prefix) + n + len(q.suffix)):
            return ORPHANED
        if self._old_text_elsewhere(start, end, q) * 2 > end - start:
            return ORPHANED
        return Placement("changed", start, end)

    def _old_text_elsewhere(self, start: int, end: int, q: Quote) -> int:
        """How many characters of target[start:end] the diff shows as unchanged text from
        outside the quoted passage, i.e. text that already existed elsewhere."""
        count = 0
        for equal, o0, _, t0, t1 in self.segs[bisect_right(self.seg_t1, start) :]:
            if t0 >= end:
                break
            if equal:
                a, b = max(t0, start), min(t1, end)
                oa, ob = o0 + a - t0, o0 + b - t0  # the same characters in the original
                count += (b - a) - max(0, min(ob, q.end) - max(oa, q.start))
        return count


@lru_cache(maxsize=64)
def _mapping(original: str, target: str) -> _Mapping:
    return _Mapping(original, target)
