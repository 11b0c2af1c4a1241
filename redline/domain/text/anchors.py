"""Anchors: keep a comment on its passage while the provision's text changes.

The model is Hypothesis's and the W3C Web Annotation one. A comment is made on one version's
text and keeps two selectors for its passage (a :class:`Quote`): a *position* (``start``,
``end``) and a *quote* (``exact`` plus up to 32 characters of ``prefix`` and ``suffix``).
All offsets are Python string indices, i.e. **Unicode code points** (an emoji is one);
browsers count UTF-16 code units, so the caller converts before calling :func:`quote_for`.

:func:`relocate` places a quote on a later version and says how sure it is:

``anchored``: no edit touches the passage. It lies inside one unchanged run of a precise diff
    original -> target, so ``target[start:end] == exact`` at the shifted offsets. Nothing else
    makes a passage anchored: the same words elsewhere are not evidence (the trap: "the Party
    shall ensure that the Party may", a comment on the first "Party"; once that one is edited,
    the second is another passage, even though it reads the same).
``changed``: edits fall inside the passage but at least half of it survives in place (counted
    on a semantically cleaned diff, so a lone "the" or "." left standing in a rewrite does not
    count). Or it was deleted (almost) entirely but is found again near the mapped position:
    head and tail matched separately (bitap takes 32 characters), plausible length, text and
    quote-with-context at least half similar, and mostly *new* text (a span the diff shows as
    text that already stood elsewhere in the original is a look-alike, never the passage). So
    a passage moved within the provision is ``changed`` at its new place when its words and
    surroundings outweigh the differences; a short quote moved alone is ``orphaned``.
``orphaned``: none of the above; ``start`` and ``end`` are None. The comment still shows,
    exactly, on the version it was made on.

The precise diff compares words first and then characters inside each replaced run of words
(diff-match-patch's line mode, applied to words): a bare character diff of a rewrite aligns
letters that merely coincide (the "t" of "Party" with the "t" of "State") and would anchor
passages on fragments of other words. :func:`relocate_many` diffs the words of a pair once
(the cleaned diff is the semantic cleanup of the same word diff), compares the characters
only inside the replaced runs that some quote touches (each run once, whichever diff needs
it), and places each quote by binary search: 1,000 comments on a provision cost about one
diff, and a comment on one sentence of a rewritten article does not pay for the others.
The diffs and their segment tables are in :mod:`redline.domain.text.anchor_tables`; every diff
comes from the diff core, :mod:`redline.domain.text.diff`.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from redline.domain.text.anchor_tables import (
    Segment,
    Table,
    aligned_end,
    blocks_of,
    inside_word,
    match_near,
    raw_diff,
    segments,
    similarity,
    word_diff,
)

CONTEXT = 32  # prefix/suffix length kept; also the longest pattern bitap matching takes
MIN_SURVIVAL = 0.5  # share of a touched passage that must survive in place for "changed"
MIN_SIMILARITY = 0.5  # similarity of a passage found again, alone and with its context
LENGTH_SLACK = 0.5  # a passage found again may be this much shorter or longer


class AnchorError(ValueError):
    """A selection that cannot be a comment anchor; the message can be shown to the user."""


@dataclass(frozen=True)
class Quote:
    """A passage of the version a comment was made on: position and quote selectors."""

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
    """The selectors for ``text[start:end]``, after checking the selection against the text."""
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in (start, end)):
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
    prefix, suffix = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    return Quote(start, end, text[start:end], prefix, suffix)


def relocate(quote: Quote, original_text: str, target_text: str) -> Placement:
    """Place ``quote``, made on ``original_text``, on ``target_text`` (see the module doc)."""
    return relocate_many([quote], original_text, target_text)[0]


def relocate_many(quotes: Sequence[Quote], original_text: str, target_text: str) -> list[Placement]:
    """Place every quote made on ``original_text`` on ``target_text``, diffing only once."""
    for q in quotes:
        if (
            not (0 <= q.start < q.end <= len(original_text))
            or original_text[q.start : q.end] != q.exact
        ):
            raise AnchorError("A comment's quote does not match the version it was made on.")
    if original_text == target_text:
        return [Placement("anchored", q.start, q.end) for q in quotes]
    mapping = _mapping(original_text, target_text)
    with mapping.lock:
        return mapping.place_all(quotes)


class _Mapping:
    """Both diffs of one pair as segment tables. The precise diff alone decides "anchored";
    the cleaned one, how much of a touched passage survives and where. Both come from one
    word diff and share the character diffs of the replaced runs they have in common.

    Mutable (runs are refined as quotes need them) and shared through the cache: callers
    hold ``lock`` (:func:`relocate_many` does)."""

    def __init__(self, original: str, target: str) -> None:
        self.original, self.target = original, target
        self.lock = threading.Lock()
        self._refined: dict[tuple[str, str], list[Segment]] = {}
        coded, book = word_diff(original, target)
        self.precise = Table(blocks_of(coded, book, cleaned=False), self._refine)
        self.cleaned = Table(blocks_of(coded, book, cleaned=True), self._refine)

    def _refine(self, deleted: str, inserted: str) -> list[Segment]:
        """The segments of the character diff inside one replaced run of words ("Party" ->
        "Parties"), relative to the run; computed once for both tables."""
        key = (deleted, inserted)
        if key not in self._refined:
            self._refined[key] = segments(raw_diff(deleted, inserted, semantic=True))
        return self._refined[key]

    def place_all(self, quotes: Sequence[Quote]) -> list[Placement]:
        """Each quote's placement. The runs the quotes need are refined in one pass per table:
        the precise table's around every quote, the cleaned one's around those not anchored."""
        precise, cleaned = self.precise, self.cleaned
        precise.refine([i for q in quotes for i in precise.overlapping(q.start, q.end)])
        out = [self._anchored(q) for q in quotes]
        touched = [q for q, p in zip(quotes, out, strict=True) if p is None]
        cleaned.refine([i for q in touched for i in cleaned.overlapping(q.start, q.end)])
        return [self._touched(q) if p is None else p for q, p in zip(quotes, out, strict=True)]

    def _anchored(self, q: Quote) -> Placement | None:
        """The placement if no edit touches the passage (in the precise diff), else None."""
        precise = self.precise
        precise.refine_around(q.start, q.end)
        i = bisect_right(precise.run_o0, q.start) - 1
        if i >= 0 and q.end <= precise.runs[i][2]:  # inside one unchanged run: untouched
            _, o0, _, t0, _ = precise.runs[i]
            return Placement("anchored", t0 + q.start - o0, t0 + q.end - o0)
        return None

    def _touched(self, q: Quote) -> Placement:
        """Place a passage that some edit touches (see the module doc)."""
        cleaned = self.cleaned
        cleaned.refine_around(q.start, q.end)
        segs, seg_o1 = cleaned.segs, cleaned.seg_o1
        first = bisect_right(seg_o1, q.start)
        kept = [k for k in range(first, bisect_right(seg_o1, q.end - 1) + 1) if segs[k][0]]

        def piece(k: int) -> int:  # characters of the passage that survive in segment k
            return min(segs[k][2], q.end) - max(segs[k][1], q.start)

        def cut_off(edge: int, inner: int) -> bool:
            """Is piece ``edge`` parted from ``inner`` by more new text than it and the whole
            passage hold? Then it is a coincidence (the passage's final "." aligned with the
            last "." of the text), not a part of the passage."""
            a, b = sorted((edge, inner))
            gap = segs[b][3] - segs[a][4]
            return piece(edge) < gap and gap > q.end - q.start

        while len(kept) > 1 and cut_off(kept[-1], kept[-2]):
            kept.pop()
        while len(kept) > 1 and cut_off(kept[0], kept[1]):
            kept.pop(0)
        if sum(map(piece, kept)) < MIN_SURVIVAL * (q.end - q.start):
            equal, o0, _, t0, _ = segs[first]
            return self._find_again(q, t0 + q.start - o0 if equal else t0)
        # An edge that was edited takes as much of the new text as it covered of the old, or
        # the old text itself where it still follows (a "." left at the end of a moved sentence).
        _, o0, _, t0, _ = segs[kept[0]]
        start, lost = t0 + q.start - o0, self.original[q.start : o0]
        if lost and self.target[max(start, 0) : t0] != lost:
            start = max(start, segs[kept[0] - 1][3])  # the edit before starts there
        _, _, o1, _, t1 = segs[kept[-1]]
        end, lost = t1 + q.end - o1, self.original[o1 : q.end]
        if lost and self.target[t1:end] != lost:
            end = min(end, segs[kept[-1] + 1][4])
        return Placement("changed", *self._snap(q, start, end))

    def _snap(self, q: Quote, start: int, end: int) -> tuple[int, int]:
        """Widen a span that cuts a word in two where the quote did not."""
        while inside_word(self.target, start) and not inside_word(self.original, q.start):
            start -= 1
        while inside_word(self.target, end) and not inside_word(self.original, q.end):
            end += 1
        return start, end

    def _find_again(self, q: Quote, loc: int) -> Placement:
        """Look for a deleted passage near ``loc``, refusing look-alikes (see the module doc)."""
        text, n = self.target, len(q.exact)
        start = match_near(text, q.exact[:CONTEXT], loc)
        if start < 0:
            return ORPHANED
        if n <= CONTEXT:
            end = aligned_end(q.exact, text, start)
        else:
            tail_at = match_near(text, q.exact[-CONTEXT:], start + n - CONTEXT)
            if tail_at < start:
                return ORPHANED
            end = aligned_end(q.exact[-CONTEXT:], text, tail_at)
        start, end = self._snap(q, start, end)
        if not (1 - LENGTH_SLACK) * n <= end - start <= (1 + LENGTH_SLACK) * n:
            return ORPHANED
        found = similarity(q.exact, text[start:end])  # the text alone, then with its context:
        if found < MIN_SIMILARITY:
            return ORPHANED
        before, after = text[max(0, start - len(q.prefix)) : start], text[end : end + len(q.suffix)]
        weights = [(similarity(q.prefix, before), len(q.prefix)), (found, n)]
        weights.append((similarity(q.suffix, after), len(q.suffix)))
        agreement = sum(s * w for s, w in weights) / sum(w for _, w in weights)
        if min(found, agreement) < MIN_SIMILARITY:
            return ORPHANED
        if 2 * self._old_text_elsewhere(q, start, end) > end - start:
            return ORPHANED
        return Placement("changed", start, end)

    def _old_text_elsewhere(self, q: Quote, start: int, end: int) -> int:
        """Characters of target[start:end] that the diff shows as unchanged text from outside
        the quoted passage: text that already stood elsewhere before the edit."""
        table = self.cleaned
        table.refine_around(start, end, in_target=True)  # the span found, in the target
        count = 0
        for k in range(bisect_right(table.seg_t1, start), len(table.segs)):
            equal, o0, _, t0, t1 = table.segs[k]
            if t0 >= end:
                break
            if equal:
                a, b = max(t0, start), min(t1, end)  # overlap; o0 + x - t0 in the original
                inside = min(o0 + b - t0, q.end) - max(o0 + a - t0, q.start)
                count += (b - a) - max(0, inside)
        return count


@lru_cache(maxsize=64)
def _mapping(original: str, target: str) -> _Mapping:
    return _Mapping(original, target)
