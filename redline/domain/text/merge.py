"""Merging concurrent edits of one provision (differential synchronisation, done exactly).

Every edit carries the version it started from (`base`). If the provision's head moved on
meanwhile, the user's edit (`mine`) and the other person's (`head`) are two sets of changes to
the same base, and the question is whether both can be kept.

Decision: a three-way merge over base coordinates, not `patch_apply`.
Both edits are diffed against the base with the word-level `redline()` (diff-match-patch's
`diff_main` on tokens, exact, semantic cleanup). Each maximal run of insert/delete ops is a
change region `[start, end)` of the base plus its replacement text. If no region of mine
overlaps or touches a region of theirs, the merge splices both sets of replacements into the
base; otherwise it is a conflict. DESIGN.md describes Neil Fraser's patch_make/patch_apply; its
fuzzy application is built for keeping editors in sync continuously, and it is the wrong tool
here for three reasons:
- `patch_apply` locates a hunk by searching for its context (a few characters, at most 32
  first and last) near an expected offset. Treaty text repeats itself ("such legislative and
  other measures as may be necessary" occurs in dozens of articles), so the hunk can land on a
  look-alike passage and patch_apply reports success. Seen in
  test_merge.py::test_repeated_phrase_lands_where_it_was_made: the head inserts an article in
  front, and patch_apply (default settings) writes the user's edit of Article 3 into Article 2.
  A drafting tool must never put words in the wrong place.
- With a strict `Match_Threshold` the same case fails instead, and a hunk also fails whenever
  the other person's edit falls inside its context or shifted the text too far: false
  conflicts that depend on character counts rather than on what was edited.
- Its success flags say nothing about overlap: a hunk can "apply" over text the other person
  rewrote. The overlap check must be done on the diffs anyway, and once it is, splicing the
  two region lists is exact and needs no search at all.
The same diff-match-patch diff underlies both edits, so this is Fraser's method with the fuzzy
step replaced by an exact one: the result is the base with every change of both sides, each in
the place its author made it, and it is verified (each side's regions alone must rebuild that
side's text) before it is accepted.

Granularity: regions come from word-level ops, so two edits of the same word conflict
("colour" -> "color" against "colour" -> "colours"), as do edits that touch (both insert at the
same point, or one edits the word right before the comma the other changed). Whitespace
between two changed words is enough to keep them apart. The same change made by both sides
(identical region and replacement) is taken once, not reported as a conflict.

Statuses:
- "clean": the result is `mine` exactly as typed (the head had not moved, already equals mine,
  or its changes are all among mine).
- "merged": the result combines both sides and differs from `mine`. When the user changed
  nothing (`mine == base`), the result is the head itself; callers should compare
  `outcome.text == head` before saving a version that would change nothing.
- "conflict": text is None; `mine_ops`/`theirs_ops` (each against the base) feed the conflict
  view, and `mine_ops` rebuilds the user's text exactly, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redline.domain.text.redline import DELETE, EQUAL, Op, redline

CLEAN, MERGED, CONFLICT = "clean", "merged", "conflict"


@dataclass(frozen=True)
class MergeOutcome:
    status: str  # "clean" | "merged" | "conflict"
    text: str | None
    mine_ops: tuple[Op, ...]  # redline(base, mine)
    theirs_ops: tuple[Op, ...]  # redline(base, head)

    @property
    def conflicted(self) -> bool:
        return self.status == CONFLICT


@dataclass(frozen=True, order=True)
class Region:
    """One change of a side: base[start:end] replaced by `text` (start == end: an insertion)."""

    start: int
    end: int
    text: str


def change_regions(ops: Iterable[Op]) -> list[Region]:
    """The base ranges an edit touched, in order, from its ops against the base."""
    out: list[Region] = []
    pos = 0
    start: int | None = None
    replacement: list[str] = []
    for kind, text in ops:
        if kind == EQUAL:
            if start is not None:
                out.append(Region(start, pos, "".join(replacement)))
                start, replacement = None, []
            pos += len(text)
            continue
        if start is None:
            start = pos
        if kind == DELETE:
            pos += len(text)
        else:
            replacement.append(text)
    if start is not None:
        out.append(Region(start, pos, "".join(replacement)))
    return out


def splice(base: str, regions: Sequence[Region]) -> str:
    """Apply sorted, disjoint regions to the base."""
    parts: list[str] = []
    pos = 0
    for r in regions:
        parts.append(base[pos : r.start])
        parts.append(r.text)
        pos = r.end
    parts.append(base[pos:])
    return "".join(parts)


def _combine(mine: Sequence[Region], theirs: Sequence[Region]) -> list[Region] | None:
    """Both sides' regions in base order, or None if any two overlap or touch.

    The same change made by both sides is one element of the set, so it is taken once. Two
    regions of one side never touch (an equal op separates them), so any touching pair is a
    mine/theirs pair. Touching counts: two insertions at one point, or an edit right at the
    edge of another, have no agreed order and may depend on each other's wording.
    """
    regions = sorted(set(mine) | set(theirs))
    if any(b.start <= a.end for a, b in zip(regions, regions[1:], strict=False)):
        return None
    return regions


def merge_edit(base: str, mine: str, head: str) -> MergeOutcome:
    """Merge the user's edit (`mine`, started from `base`) into the current `head`."""
    mine_ops = tuple(redline(base, mine))
    theirs_ops = tuple(redline(base, head))

    def outcome(status: str, text: str | None) -> MergeOutcome:
        return MergeOutcome(status, text, mine_ops, theirs_ops)

    if head == base or mine == head:
        return outcome(CLEAN, mine)
    if mine == base:
        return outcome(MERGED, head)

    mine_regions = change_regions(mine_ops)
    theirs_regions = change_regions(theirs_ops)
    regions = _combine(mine_regions, theirs_regions)
    if regions is None:
        return outcome(CONFLICT, None)
    # Verify before accepting: each side's regions alone must rebuild that side's text
    # (guards the region bookkeeping, so a merge can never drop or misplace a change).
    if splice(base, mine_regions) != mine or splice(base, theirs_regions) != head:
        return outcome(CONFLICT, None)  # pragma: no cover - would be a bug in redline()
    merged = splice(base, regions)
    return outcome(CLEAN if merged == mine else MERGED, merged)
