"""Compare two points of an instrument: align provisions by identity, not by number.

A drafting group renumbers and reorders articles between meetings; a comparison that aligned by
number would show Article 7 rewritten as Article 8. Here provisions are matched by their stable
identity, so a renumbered provision shows its number change once and its text diff on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from redline.domain.drafts.paragraphs import LTR, Note
from redline.domain.text.notes import NotePair, pair_notes
from redline.domain.text.redline import Op, is_coarse, redline


@dataclass(frozen=True)
class Snapshot:
    """One provision as it stood at a point: the version that carried it there."""

    provision_id: int
    version_id: int
    number: str
    heading: str
    kind: str
    position: int
    text: str
    notes: tuple[Note, ...] = ()
    direction: str = LTR


@dataclass(frozen=True)
class NoteChange:
    """A footnote or endnote between two points, with the word ops inside its text."""

    marker: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    kind: str
    ops: tuple[Op, ...]

    @classmethod
    def of(cls, pair: NotePair) -> NoteChange:
        before = pair.before.text if pair.before else ""
        after = pair.after.text if pair.after else ""
        kind = (pair.after or pair.before).kind  # type: ignore[union-attr]
        if pair.status == "unchanged":
            ops: tuple[Op, ...] = (("equal", after),) if after else ()
        else:
            ops = tuple(redline(before, after))
        return cls(pair.marker, pair.status, kind, ops)


@dataclass(frozen=True)
class ProvisionChange:
    """How one provision changed between two points, ready to render or export."""

    provision_id: int
    status: str  # "added" | "removed" | "changed" | "unchanged"
    kind: str
    before: Snapshot | None
    after: Snapshot | None
    ops: tuple[Op, ...] = field(default=())
    moved: bool = False
    # The text diff fell back to sentences and lines (it was too large to show word by word).
    coarse: bool = False

    @property
    def notes(self) -> tuple[NoteChange, ...]:
        """The provision's notes at both points, paired by marker, with changes inside each."""
        before = self.before.notes if self.before else ()
        after = self.after.notes if self.after else ()
        return tuple(NoteChange.of(p) for p in pair_notes(before, after))

    @property
    def notes_changed(self) -> bool:
        return any(n.status != "unchanged" for n in self.notes)

    @property
    def direction(self) -> str:
        return self.shown.direction

    @property
    def renumbered(self) -> bool:
        return bool(self.before and self.after and self.before.number != self.after.number)

    @property
    def reheaded(self) -> bool:
        return bool(self.before and self.after and self.before.heading != self.after.heading)

    @property
    def from_version_id(self) -> int | None:
        return self.before.version_id if self.before else None

    @property
    def to_version_id(self) -> int | None:
        return self.after.version_id if self.after else None

    @property
    def from_number(self) -> str | None:
        return self.before.number if self.before else None

    @property
    def to_number(self) -> str | None:
        return self.after.number if self.after else None

    @property
    def shown(self) -> Snapshot:
        """The snapshot to title this change with: the newer one when it exists."""
        return self.after or self.before  # type: ignore[return-value]


def _moved(before: Sequence[Snapshot], after: Sequence[Snapshot]) -> set[int]:
    """Provisions whose order relative to the others changed.

    The provisions present at both points are compared in their two orders; those outside a
    longest common subsequence are the ones that moved. Renumbering alone is not a move.
    """
    common = {s.provision_id for s in before} & {s.provision_id for s in after}
    old_order = [
        s.provision_id for s in sorted(before, key=lambda s: s.position) if s.provision_id in common
    ]
    new_order = [
        s.provision_id for s in sorted(after, key=lambda s: s.position) if s.provision_id in common
    ]
    rank = {pid: i for i, pid in enumerate(old_order)}
    seq = [rank[pid] for pid in new_order]
    # Longest increasing subsequence of old ranks in new order: O(n log n) patience sorting.
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, r in enumerate(seq):
        k = bisect.bisect_left(tails, r)
        if k == len(tails):
            tails.append(r)
            tails_idx.append(i)
        else:
            tails[k] = r
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k > 0 else -1
    keep: set[int] = set()
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        keep.add(new_order[i])
        i = prev[i]
    return set(new_order) - keep


def compare(
    before: Sequence[Snapshot],
    after: Sequence[Snapshot],
    diff: Callable[[Snapshot, Snapshot], Sequence[Op]],
) -> list[ProvisionChange]:
    """Align two texts of an instrument by provision identity, in the newer document order.

    `diff` computes (or fetches from a cache) the ops between two snapshots' texts; it is only
    called for provisions whose version differs. Removed provisions are placed after the
    provision that preceded them at the older point, so they read where they used to stand.
    """
    old = {s.provision_id: s for s in before}
    new = {s.provision_id: s for s in after}
    moved = _moved(before, after)
    changes: dict[int, ProvisionChange] = {}
    for pid, b in old.items():
        a = new.get(pid)
        if a is None:
            changes[pid] = ProvisionChange(
                pid, "removed", b.kind, b, None, (("delete", b.text),) if b.text else ()
            )
        elif a.version_id == b.version_id or (
            a.text == b.text
            and a.number == b.number
            and a.heading == b.heading
            and a.notes == b.notes
            and a.direction == b.direction
        ):
            ops = (("equal", a.text),) if a.text else ()
            status = "changed" if pid in moved else "unchanged"
            changes[pid] = ProvisionChange(pid, status, a.kind, b, a, ops, pid in moved)
        else:
            found = diff(b, a) if a.text != b.text else None
            ops = tuple(found) if found is not None else ((("equal", a.text),) if a.text else ())
            changes[pid] = ProvisionChange(
                pid, "changed", a.kind, b, a, ops, pid in moved, is_coarse(found)
            )
    for pid, a in new.items():
        if pid not in old:
            changes[pid] = ProvisionChange(
                pid, "added", a.kind, None, a, (("insert", a.text),) if a.text else ()
            )

    # Document order: the newer order, with each removed provision after its old predecessor.
    ordered = [s.provision_id for s in sorted(after, key=lambda s: s.position)]
    old_sorted = [s.provision_id for s in sorted(before, key=lambda s: s.position)]
    for i, pid in enumerate(old_sorted):
        if pid in new:
            continue
        anchor = next((p for p in reversed(old_sorted[:i]) if p in ordered), None)
        ordered.insert(ordered.index(anchor) + 1 if anchor is not None else 0, pid)
    return [changes[pid] for pid in ordered]
