"""The diffs behind comment anchors (:mod:`redline.domain.text.anchors`): a pair's word diff as
blocks, the segment tables searched by bisection and refined character by character on first
need, and the approximate matches and similarities used to find a deleted passage again. Every
diff comes from the diff core (:mod:`redline.domain.text.diff`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from redline.domain.text import diff
from redline.domain.text.diff import DELETE, EQUAL, INSERT, Op

REFINE_LIMIT = 2000  # a longer replaced run of words is a rewrite: no character diff inside

Block = tuple[bool, str, str]  # (unchanged?, old text, new text): a run of whole words
Segment = tuple[bool, int, int, int, int]  # (unchanged?, o0, o1, t0, t1), as segments()


# --- diffs and matches -----------------------------------------------------------------------


def raw_diff(a: str, b: str, semantic: bool = False) -> list[Op]:
    """A minimal character diff from the diff core, within its time budget: past it the rest
    is answered as deleted and inserted whole, still a valid diff, so a pathological edit
    leaves its passages changed or orphaned instead of holding the save for minutes (issue
    12, fault 5)."""
    return diff.diff_chars(a, b, semantic=semantic)


def word_diff(a: str, b: str) -> tuple[list[Op], diff.Codebook]:
    """The minimal diff of the texts' words (each word or sign with the spaces after it) from
    the diff core, still coded, with the codebook that decodes it. Too many distinct words
    to code (an adversarial text) is answered as one replacement, like a diff past its
    budget."""
    try:
        return diff.diff_tokens(diff.spaced_tokens(a), diff.spaced_tokens(b), semantic=False)
    except diff.TooManyTokens:
        book = diff.Codebook()
        return [(DELETE, book.encode([a])), (INSERT, book.encode([b]))], book


def blocks_of(coded: list[Op], book: diff.Codebook, cleaned: bool) -> list[Block]:
    """A word diff from :func:`word_diff` as blocks (unchanged?, old text, new text).
    ``cleaned`` applies the semantic cleanup to the words (the pure-Python cleanup in both
    backends, so one word diff serves both tables). The characters inside a replaced run of
    words are compared later, by :class:`Table`, when a passage needs them."""
    if cleaned:
        coded = diff.cleanup_semantic(coded)
    blocks: list[Block] = []
    old: list[str] = []
    new: list[str] = []
    for op, code in [*coded, (EQUAL, "")]:
        text = book.decode(code)
        if op != EQUAL:
            (old if op == DELETE else new).append(text)
            continue
        if old or new:
            blocks.append((False, "".join(old), "".join(new)))
        old.clear()
        new.clear()
        if text:
            blocks.append((True, text, text))
    return blocks


def segments(ops: list[Op]) -> list[Segment]:
    """(unchanged?, o0, o1, t0, t1): original[o0:o1] became target[t0:t1]. Unchanged runs and
    edits alternate; an edit merges the deletion and insertion between two unchanged runs."""
    segs: list[Segment] = []
    o = t = 0
    for op, s in ops:
        do, dt = (len(s) if op != INSERT else 0), (len(s) if op != DELETE else 0)
        if segs and segs[-1][0] == (op == EQUAL):
            equal, o0, _, t0, _ = segs.pop()
            segs.append((equal, o0, o + do, t0, t + dt))
        else:
            segs.append((op == EQUAL, o, o + do, t, t + dt))
        o, t = o + do, t + dt
    return segs


def match_near(text: str, pattern: str, loc: int) -> int:
    """Start of the best approximate match of ``pattern`` (<= 32 chars) near ``loc``, or -1."""
    return diff.match(text, pattern, min(max(loc, 0), len(text)))


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / the longer length (1.0 for two empty strings)."""
    if a == b:
        return 1.0
    distance = inserted = deleted = 0
    for op, s in [*raw_diff(a, b), (EQUAL, "")]:
        if op == EQUAL:
            distance, inserted, deleted = distance + max(inserted, deleted), 0, 0
        elif op == INSERT:
            inserted += len(s)
        else:
            deleted += len(s)
    return 1 - distance / max(len(a), len(b))


def aligned_end(pattern: str, text: str, at: int) -> int:
    """Where the best alignment of ``pattern`` with ``text`` from ``at`` ends in ``text``."""
    need, end = len(pattern), at
    for op, s in raw_diff(pattern, text[at : at + 2 * len(pattern) + 1]):
        if need <= 0:
            break
        if op != DELETE:
            end += len(s) if op == INSERT else min(len(s), need)
        if op != INSERT:
            need -= len(s)
    return end


def inside_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


# --- one (original, target) pair, precomputed ----------------------------------------------


class Table:
    """One diff of a pair as segments (unchanged?, o0, o1, t0, t1), searched by bisection.

    The characters inside a replaced run of words ("Party " -> "Parties ") are compared on
    first need: :meth:`refine` splits a run into the segments of its character diff, as
    :func:`segments` would have on the whole diff. A run's character diff changes the table
    only inside the run and at the ends of the unchanged runs beside it (which it may
    lengthen, keeping their offset shift), so a lookup of a range that overlaps no unrefined
    run finds what the fully refined table holds. The placement code refines around each
    range it looks at (the passage; in the target, a span found again)."""

    def __init__(self, blocks: list[Block], refiner: Callable[[str, str], list[Segment]]):
        self.refiner = refiner  # (deleted, inserted) -> segments relative to the run
        self.segs: list[Segment] = []
        self.todo: list[tuple[int, int, int, int, str, str]] = []  # (o0, o1, t0, t1, old, new)
        o = t = 0
        for equal, old, new in blocks:
            self.segs.append((equal, o, o + len(old), t, t + len(new)))
            if not equal and old and new and max(len(old), len(new)) <= REFINE_LIMIT:
                self.todo.append((o, o + len(old), t, t + len(new), old, new))
            o, t = o + len(old), t + len(new)
        self.done = [False] * len(self.todo)
        self.todo_o0, self.todo_o1, self.todo_t0, self.todo_t1 = (
            [run[k] for run in self.todo] for k in range(4)
        )
        self._index()

    def _index(self) -> None:
        segs = self.segs
        self.seg_o0 = [seg[1] for seg in segs]
        self.seg_o1 = [seg[2] for seg in segs]
        self.seg_t1 = [seg[4] for seg in segs]
        self.runs = [seg for seg in segs if seg[0]]  # the unchanged ones
        self.run_o0 = [run[1] for run in self.runs]

    def overlapping(self, lo: int, hi: int, in_target: bool = False) -> range:
        """Indices (in ``todo``) of the refinable runs that overlap [lo, hi) in the original,
        or in the target; refined already or not."""
        starts, ends = (self.todo_t0, self.todo_t1) if in_target else (self.todo_o0, self.todo_o1)
        return range(bisect_right(ends, lo), bisect_left(starts, hi))

    def refine(self, runs: Iterable[int]) -> None:
        """Split the given runs (indices in ``todo``) into the segments of their character
        diffs, merging unchanged ends with the unchanged runs beside them."""
        todo = sorted({i for i in runs if not self.done[i]}, reverse=True)
        segs = self.segs
        for i in todo:  # from the end, so that the segment offsets before stay valid
            o0, _, t0, _, old, new = self.todo[i]
            k = bisect_left(self.seg_o0, o0)  # the run's one edit segment
            pieces = [
                (eq, o0 + a0, o0 + a1, t0 + b0, t0 + b1)
                for eq, a0, a1, b0, b1 in self.refiner(old, new)
            ]
            lo, hi = k, k + 1
            if lo > 0 and segs[lo - 1][0] and pieces[0][0]:
                lo -= 1
                pieces[0] = (True, segs[lo][1], pieces[0][2], segs[lo][3], pieces[0][4])
            if hi < len(segs) and segs[hi][0] and pieces[-1][0]:
                pieces[-1] = (True, pieces[-1][1], segs[hi][2], pieces[-1][3], segs[hi][4])
                hi += 1
            segs[lo:hi] = pieces
            self.done[i] = True
        if todo:
            self._index()

    def refine_around(self, lo: int, hi: int, in_target: bool = False) -> None:
        """Refine the runs that overlap [lo, hi), if any is not yet."""
        runs = self.overlapping(lo, hi, in_target)
        if not all(self.done[i] for i in runs):
            self.refine(runs)
