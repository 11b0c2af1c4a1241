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


def _diff(a: str, b: str, cleaned: bool) -> list[tuple[str, str]]:
    """Diff words first, then characters inside each replaced run of words.

    This is diff-match-patch's line mode applied to words: a bare character diff of a rewrite
    aligns letters that merely coincide (the "t" of "Party" with the "t" of "State"); words
    align only where they really are. Inside a replaced run a semantically cleaned character
    diff keeps small edits precise ("Party" -> "Parties"). ``cleaned`` also runs the semantic
    cleanup over the words, so that a lone "the" or "." left standing in a rewrite is noise.
    """
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(codes.setdefault(w, chr(0x10000 + len(codes))) for w in _TOKEN.findall(text))

    coded = _raw_diff(encode(a), encode(b), semantic=cleaned)
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


def _segments(ops: list[tuple[str, str]]) -> list[tuple[bool, int, int, int, int]]:
    """(unchanged?, o0, o1, t0, t1): original[o0:o1] became target[t0:t1]. Unchanged runs and
    edits alternate; an edit merges the deletion and insertion between two unchanged runs."""
    segs: list[tuple[bool, int, int, int, int]] = []
    o = t = 0
    for op, s in ops:
        do, dt = (len(s) if op != "+" else 0), (len(s) if op != "-" else 0)
        if segs and segs[-1][0] == (op == "="):
            equal, o0, _, t0, _ = segs.pop()
            segs.append((equal, o0, o + do, t0, t + dt))
        else:
            segs.append((op == "=", o, o + do, t, t + dt))
        o, t = o + do, t + dt
    return segs


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
    """Both diffs of one (original, target) pair as segment tables, searched by bisection.

    The precise diff alone decides "anchored": a passage inside one of its unchanged runs is
    untouched. The cleaned diff decides how much of a touched passage survives and where.
    """

    def __init__(self, original: str, target: str) -> None:
        self.original, self.target = original, target
        runs = [seg for seg in _segments(_diff(original, target, cleaned=False)) if seg[0]]
        self.run_o0 = [run[1] for run in runs]
        self.runs = runs
        self.segs = _segments(_diff(original, target, cleaned=True))
        self.seg_o1 = [seg[2] for seg in self.segs]
        self.seg_t1 = [seg[4] for seg in self.segs]

    def place(self, q: Quote) -> Placement:
        i = bisect_right(self.run_o0, q.start) - 1
        if i >= 0 and q.end <= self.runs[i][2]:  # inside one unchanged run: untouched
            _, o0, _, t0, _ = self.runs[i]
            return Placement("anchored", t0 + q.start - o0, t0 + q.end - o0)
        first = bisect_right(self.seg_o1, q.start)  # segment holding the first character
        last = bisect_right(self.seg_o1, q.end - 1)  # ... and the last one
        kept = [k for k in range(first, last + 1) if self.segs[k][0]]
        # Surviving pieces at the edges cut off from the rest by a longer insertion are
        # coincidences (a "." matched to the last "." of the text), not the passage.
        while len(kept) > 1 and self._piece(q, kept[-1]) < self._gap(kept[-2], kept[-1]):
            kept.pop()
        while len(kept) > 1 and self._piece(q, kept[0]) < self._gap(kept[0], kept[1]):
            kept.pop(0)
        _, o0, o1, t0, t1 = self.segs[first]
        loc = t0 + q.start - o0 if self.segs[first][0] else t0
        if sum(self._piece(q, k) for k in kept) < MIN_SURVIVAL * (q.end - q.start):
            return self._find_again(q, loc)
        # An edge inside a replacement takes as much new text as it covered of the old.
        _, o0, o1, t0, t1 = self.segs[kept[0]]
        start = t0 + q.start - o0 if q.start >= o0 else max(t0 - (o0 - q.start), self._t0(kept[0]))
        _, o0, o1, t0, t1 = self.segs[kept[-1]]
        end = t1 - (o1 - q.end) if q.end <= o1 else min(t1 + (q.end - o1), self._t1(kept[-1]))
        start, end = self._snap(q, start, end)
        return Placement("changed", start, end)

    def _piece(self, q: Quote, k: int) -> int:
        """How many characters of the passage unchanged segment ``k`` holds."""
        return min(self.segs[k][2], q.end) - max(self.segs[k][1], q.start)

    def _gap(self, j: int, k: int) -> int:
        """Target characters between the unchanged segments ``j`` < ``k``."""
        return self.segs[k][3] - self.segs[j][4]

    def _t0(self, k: int) -> int:
        """Where the edit before segment ``k`` starts in the target."""
        return self.segs[k - 1][3] if k else 0

    def _t1(self, k: int) -> int:
        """Where the edit after segment ``k`` ends in the target."""
        return self.segs[k + 1][4] if k + 1 < len(self.segs) else len(self.target)

    def _snap(self, q: Quote, start: int, end: int) -> tuple[int, int]:
        """Widen a span that cuts a word in two where the quote did not."""
        if not _inside_word(self.original, q.start):
            while _inside_word(self.target, start):
                start -= 1
        if not _inside_word(self.original, q.end):
            while _inside_word(self.target, end):
                end += 1
        return start, end

    def _find_again(self, q: Quote, loc: int) -> Placement:
        """Look for a deleted passage near ``loc``; refuse look-alikes (see the module doc)."""
        text, n = self.target, len(q.exact)
        start = _match(text, q.exact[:CONTEXT], loc)
        if start < 0:
            return ORPHANED
        if n <= CONTEXT:
            end = _aligned_end(q.exact, text, start)
        else:
            tail = q.exact[-CONTEXT:]
            tail_at = _match(text, tail, start + n - CONTEXT)
            if tail_at < start:
                return ORPHANED
            end = _aligned_end(tail, text, tail_at)
        start, end = self._snap(q, start, end)
        if not (1 - LENGTH_SLACK) * n <= end - start <= (1 + LENGTH_SLACK) * n:
            return ORPHANED
        found = _similarity(q.exact, text[start:end])
        before = _similarity(q.prefix, text[max(0, start - len(q.prefix)) : start])
        after = _similarity(q.suffix, text[end : end + len(q.suffix)])
        agreement = before * len(q.prefix) + found * n + after * len(q.suffix)
        if found < MIN_SIMILARITY or agreement < MIN_SIMILARITY * (
            len(q.prefix) + n + len(q.suffix)
        ):
            return ORPHANED
        if 2 * self._old_text_elsewhere(q, start, end) > end - start:
            return ORPHANED
        return Placement("changed", start, end)

    def _old_text_elsewhere(self, q: Quote, start: int, end: int) -> int:
        """How many characters of target[start:end] the diff shows as unchanged text from
        outside the quoted passage, i.e. text that existed elsewhere before the edit."""
        count = 0
        for i in range(bisect_right(self.seg_t1, start), len(self.segs)):
            equal, o0, _, t0, t1 = self.segs[i]
            if t0 >= end:
                break
            if equal:
                a, b = max(t0, start), min(t1, end)  # the overlap, and the same in the original:
                oa, ob = o0 + a - t0, o0 + b - t0
                count += (b - a) - max(0, min(ob, q.end) - max(oa, q.start))
        return count


@lru_cache(maxsize=64)
def _mapping(original: str, target: str) -> _Mapping:
    return _Mapping(original, target)
