"""Which version wrote each word: `git blame` on Redline's word tokens.

A provision's text is carried along its chain of versions, oldest first. Between two steps the
word-level redline (:func:`redline.domain.text.redline.redline`, the one diff core) says which
words stayed and which were inserted: words that stayed keep the label they had, inserted words
get the label of the step that inserted them. The answer is a list of :class:`Run` covering the
newest text exactly once, in order, with neighbouring runs of one label merged.

The labels are opaque to this module (a version id, a meeting id): the service decides what a
reader may see and passes the chain that reader is shown, so a stakeholder's chain of published
texts gives each word the first published text that showed it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from redline.domain.text.redline import DELETE, EQUAL, INSERT, Op, new_text, old_text, redline

Label = Hashable
Diff = Callable[[str, str], Sequence[Op]]


@dataclass(frozen=True)
class Run:
    """Characters [start, end) of the text, written by `label`."""

    start: int
    end: int
    label: Label


def _merged(runs: Iterable[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if run.start == run.end:
            continue
        if out and out[-1].label == run.label and out[-1].end == run.start:
            out[-1] = Run(out[-1].start, run.end, run.label)
        else:
            out.append(run)
    return out


def carry(runs: Sequence[Run], ops: Sequence[Op], label: Label) -> list[Run]:
    """The runs of the new text of `ops`, given the `runs` of its old text: equal stretches
    keep their labels (shifted to their new offsets), inserted ones get `label`."""
    out: list[Run] = []
    i = 0  # index of the first old run that may overlap the current old offset
    old_pos = new_pos = 0
    for kind, text in ops:
        n = len(text)
        if kind == INSERT:
            out.append(Run(new_pos, new_pos + n, label))
            new_pos += n
        elif kind == DELETE:
            old_pos += n
        elif kind == EQUAL:
            lo, hi = old_pos, old_pos + n
            while i < len(runs) and runs[i].end <= lo:
                i += 1
            j = i
            while j < len(runs) and runs[j].start < hi:
                r = runs[j]
                s, e = max(r.start, lo), min(r.end, hi)
                out.append(Run(new_pos + s - lo, new_pos + e - lo, r.label))
                j += 1
            old_pos, new_pos = hi, new_pos + n
        else:
            raise ValueError(f"unknown op kind {kind!r}")
    return _merged(out)


def attribute(chain: Sequence[tuple[Label, str]], diff: Diff | None = None) -> list[Run]:
    """Runs of the last text of `chain` ((label, text) pairs, oldest first).

    `diff(old, new)` gives the ops between consecutive texts (default: the word redline; the
    service passes cached ops). Ops that do not rebuild both texts are a bug: ValueError.
    """
    if not chain:
        return []
    diff = diff or redline
    first_label, text = chain[0]
    runs = [Run(0, len(text), first_label)] if text else []
    for label, new in chain[1:]:
        if new == text:
            continue  # nothing written at this step
        ops = diff(text, new)
        if old_text(ops) != text or new_text(ops) != new:
            raise ValueError("diff ops do not rebuild the versions' texts")
        runs, text = carry(runs, ops, label), new
    return runs


def within(runs: Sequence[Run], start: int, end: int) -> list[Run]:
    """The runs clipped to the passage [start, end) (a selection in the text)."""
    if start > end:
        start, end = end, start
    return [
        Run(max(r.start, start), min(r.end, end), r.label)
        for r in runs
        if r.end > start and r.start < end
    ]
