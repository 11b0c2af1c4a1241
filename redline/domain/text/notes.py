"""Footnotes and endnotes as a version keeps them: a list of {"marker", "text", "kind"}.

A note's marker stands in the provision text as `[^marker]` (see
`redline.domain.drafts.paragraphs`); the note's own text is kept beside the text, in the order
of the markers. These helpers turn reader `Note`s into the stored form, keep the stored form
consistent with the text, and pair the notes of two versions so a redline can show the changes
inside each note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redline.domain.drafts.paragraphs import ENDNOTE, FOOTNOTE, Note

KINDS = (FOOTNOTE, ENDNOTE)
MAX_NOTES = 500  # notes per provision; a real draft has a handful
MAX_MARKER = 20


def marker_token(marker: str) -> str:
    return f"[^{marker}]"


def stored(notes: Iterable[Note]) -> list[dict]:
    """Reader notes in the form a version stores them."""
    return [{"marker": n.marker, "text": n.text, "kind": n.kind} for n in notes]


def as_notes(raw: Sequence[dict] | None) -> tuple[Note, ...]:
    """Stored notes back as `Note`s (tolerant of rows written before `kind` existed)."""
    return tuple(
        Note(str(n.get("marker", "")), str(n.get("text", "")), n.get("kind") or FOOTNOTE)
        for n in (raw or ())
    )


def kept_with(text: str, raw: Sequence[dict] | None) -> list[dict]:
    """The notes whose marker still stands in `text`: deleting a marker deletes its note,
    as in Word. Order and content are unchanged otherwise."""
    return [dict(n) for n in (raw or ()) if marker_token(str(n.get("marker", ""))) in text]


@dataclass(frozen=True)
class NotePair:
    """A note at two points: `before`/`after` is None when the note was added/removed."""

    marker: str
    before: Note | None
    after: Note | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        if self.before.text != self.after.text or self.before.kind != self.after.kind:
            return "changed"
        return "unchanged"


def pair_notes(before: Sequence[Note], after: Sequence[Note]) -> list[NotePair]:
    """Pair notes by marker, in the newer order, removed ones after the note they followed."""
    old = {n.marker: n for n in before}
    new_markers = {n.marker for n in after}
    pairs = [NotePair(n.marker, old.get(n.marker), n) for n in after]
    for i, n in enumerate(before):
        if n.marker in new_markers:
            continue
        # Put a removed note right after its nearest preceding note that is still listed.
        at = 0
        for prev in reversed(before[:i]):
            idx = next((j for j, p in enumerate(pairs) if p.marker == prev.marker), None)
            if idx is not None:
                at = idx + 1
                break
        pairs.insert(at, NotePair(n.marker, n, None))
    return pairs
