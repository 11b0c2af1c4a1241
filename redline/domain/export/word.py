"""Word documents of a comparison, with real tracked changes (pure code: no Flask, no database).

`redline_docx` writes the newer text of an instrument with every difference from the older one as
a Word revision, so a drafter can open it in Word or LibreOffice, read it with "All Markup", and
accept or reject changes one by one. `clean_docx` writes the text of one meeting without markup.

Layout: a title and a subtitle paragraph (styles "Redline Title" and "Redline Subtitle", based
on Word's Title and Subtitle, so that an import knows them for the cover), then each provision
in document order: a heading paragraph ("Heading 1" for the preamble, divisions (chapters,
sections, titles) and annexes, "Heading 2" for articles and everything else) followed by its
text, one Word paragraph per paragraph of the provision ("\\n\\n" in the text), a single "\\n"
as a line break.

What is tracked (all attributed to one `Revision`, so every change has the same author and date):

- text: each insert/delete op becomes a ``w:ins``/``w:del`` per paragraph it covers; a paragraph
  break inside an inserted (deleted) op is an inserted (deleted) paragraph mark;
- an added provision: heading and text inserted, every paragraph mark inserted; a removed one:
  all deleted, every paragraph mark deleted, so "Accept All" in Word removes it entirely;
- the heading line (`heading_ops`): a renumbering deletes the old number and inserts the new one;
  a changed heading is diffed word by word (`redline.domain.text.redline.redline`).
- moved provisions stand in their new position like any other; their heading carries a Word
  comment by the revision author saying where the provision stood before (`note_moves`).

Comments (`WordComment`) are anchored on offsets of the newer text of a provision. The comment
range markers sit between runs at paragraph level (never inside ``w:ins``), so a comment boundary
splits an equal or inserted run in two; a comment whose range covers only deleted text (or is
empty) becomes a point comment at that offset. Comments on a provision absent from the newer text
are left out. Comment ids come first (0..n-1, allocated by python-docx); revision ids follow, so
the two never share a ``w:id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from redline.domain.drafts.paragraphs import FOOTNOTE
from redline.domain.export.word_notes import NoteParts, auto_numbered, markers_in, note_ops
from redline.domain.export.word_ooxml import (
    DELETE,
    EQUAL,
    INSERT,
    comment_range_end,
    comment_range_start,
    comment_reference_run,
    count_revisions,
    enable_track_revisions,
    make_run,
    w_date,
    xml_text,
)
from redline.domain.export.word_parts import (
    Anchor,
    Body,
    NoteRefs,
    Writer,
    heading_label,
    heading_ops,
    heading_parts,
    heading_style,
    mark_kind,
    set_bidi,
    snapshot_parts,
)
from redline.domain.text.compare import ProvisionChange, Snapshot
from redline.domain.text.notes import marker_token, pair_notes
from redline.domain.text.redline import Op

__all__ = [
    "Revision",
    "WordComment",
    "clean_docx",
    "count_revisions",
    "heading_label",
    "heading_ops",
    "heading_parts",
    "initials",
    "redline_docx",
]


@dataclass(frozen=True)
class Revision:
    """Who and when every tracked change of a document is attributed to."""

    author: str
    date: datetime  # timezone-aware (UTC)


@dataclass(frozen=True)
class WordComment:
    """A comment on the newer text of a provision, anchored on after.text[start:end]."""

    provision_id: int
    start: int
    end: int
    author: str
    initials: str
    text: str
    date: datetime


def _checked_ops(change: ProvisionChange) -> list[Op]:
    old = change.before.text if change.before else ""
    new = change.after.text if change.after else ""
    ops = [(k, t) for k, t in change.ops if t]
    if not ops and (old or new):
        ops = [(EQUAL, old)] if old == new else [(DELETE, old), (INSERT, new)]
        ops = [(k, t) for k, t in ops if t]
    if any(k not in (EQUAL, INSERT, DELETE) for k, _ in ops):
        raise ValueError(f"provision {change.provision_id}: unknown op kind")
    if (
        "".join(t for k, t in ops if k != INSERT) != old
        or "".join(t for k, t in ops if k != DELETE) != new
    ):
        raise ValueError(f"provision {change.provision_id}: ops do not rebuild its two texts")
    return ops


def _wrap_in_comment(p, comment_id: int) -> None:
    """Anchor a comment on the whole content of paragraph `p`."""
    ppr = p.pPr
    p.insert(0 if ppr is None else p.index(ppr) + 1, comment_range_start(comment_id))
    p.append(comment_range_end(comment_id))
    p.append(comment_reference_run(comment_id))


def initials(name: str) -> str:
    """Up to three capitals of a name's words ("Ana Civil" -> "AC"), for a comment's mark."""
    return "".join(w[0] for w in name.split() if w[:1].isalnum())[:3].upper()


def _move_notes(changes: Sequence[ProvisionChange]) -> dict[int, str]:
    """For each moved provision, a sentence saying what it followed at the older point."""
    old_order = sorted((c for c in changes if c.before), key=lambda c: c.before.position)  # type: ignore[union-attr]
    notes: dict[int, str] = {}
    for i, c in enumerate(old_order):
        if not (c.moved and c.after and "".join(snapshot_parts(c.after))):
            continue
        if i == 0:
            notes[c.provision_id] = "Moved: this provision stood first in the earlier text."
        else:
            prev = old_order[i - 1].before
            assert prev is not None
            label = heading_label(prev.number, prev.heading, prev.kind) or "the previous provision"
            notes[c.provision_id] = f"Moved: in the earlier text this provision followed {label}."
    return notes


def redline_docx(
    title: str,
    subtitle: str,
    changes: Sequence[ProvisionChange],
    revision: Revision,
    comments: Sequence[WordComment] = (),
    *,
    note_moves: bool = True,
) -> bytes:
    """A .docx of `changes` (from `compare`) with every difference as a Word tracked change."""
    w = Writer(revision.author, revision.date)
    w.front(title, subtitle)
    enable_track_revisions(w.doc.settings)

    # Comments first, so their ids (0..n-1) are known and revision ids can follow them.
    newer = {c.provision_id: c.after for c in changes if c.after is not None}
    anchors: dict[int, list[Anchor]] = {}
    notes = _move_notes(changes) if note_moves else {}
    note_ids: dict[int, int] = {}
    planned = [(c, newer[c.provision_id]) for c in comments if c.provision_id in newer]
    if planned or notes:
        for wc, after in planned:
            made = w.doc.comments.add_comment(
                xml_text(wc.text), author=xml_text(wc.author), initials=xml_text(wc.initials)
            )
            w_date(wc.date)  # rejects a naive date
            made._comment_elm.date = wc.date  # python-docx writes it in UTC with a Z
            length = len(after.text)
            start = min(max(wc.start, 0), length)
            end = min(max(wc.end, start), length)
            anchors.setdefault(wc.provision_id, []).append(Anchor(made.comment_id, start, end))
        for pid, text in notes.items():
            made = w.doc.comments.add_comment(
                text, author=xml_text(revision.author), initials=initials(revision.author)
            )
            made._comment_elm.date = revision.date
            note_ids[pid] = made.comment_id
        w.next_id = max(c.comment_id for c in w.doc.comments) + 1

    footnote_markers = _footnote_sequences(changes)
    parts = NoteParts(w, auto_footnotes=auto_numbered(footnote_markers))

    for change in changes:
        ops = _checked_ops(change)
        old_label = "".join(snapshot_parts(change.before))
        new_label = "".join(snapshot_parts(change.after))
        style = heading_style(change.kind)
        hops = heading_ops(change.before, change.after)
        if hops:
            p = w.paragraph(style)
            if change.shown.direction == "rtl":
                set_bidi(p)
            for kind, text in hops:
                p.append(w.tracked(kind, text))
            w.mark(p, mark_kind(old_label, new_label))
            if change.provision_id in note_ids:
                _wrap_in_comment(p, note_ids[change.provision_id])
        old = change.before.text if change.before else ""
        new = change.after.text if change.after else ""
        if old or new:
            refs = _write_notes(parts, change.before, change.after)
            body = Body(w, anchors.get(change.provision_id, ()), refs, change.shown.direction)
            for kind, text in ops:
                body.write(kind, text)
            body.finish(mark_kind(old, new))
    return w.save()


def clean_docx(title: str, subtitle: str, provisions: Sequence[Snapshot]) -> bytes:
    """A .docx of the text of one point (a meeting), in position order, without markup."""
    w = Writer()
    w.front(title, subtitle)
    ordered = sorted(provisions, key=lambda s: s.position)
    parts = NoteParts(w, auto_footnotes=auto_numbered([_footnote_markers(ordered)]))
    for s in ordered:
        label = heading_label(s.number, s.heading, s.kind)
        if label:
            p = w.paragraph(heading_style(s.kind))
            if s.direction == "rtl":
                set_bidi(p)
            p.append(make_run(label))
        if s.text:
            body = Body(w, (), _write_notes(parts, None, s, clean=True), s.direction)
            body.write(EQUAL, s.text)
            body.finish(EQUAL)
    return w.save()


def _footnote_markers(snapshots: Sequence[Snapshot | None]) -> list[str]:
    """The footnote markers as they read in these provisions' texts, in order."""
    out: list[str] = []
    for s in snapshots:
        if s is None:
            continue
        footnotes = {n.marker for n in s.notes if n.kind == FOOTNOTE}
        seen: set[str] = set()
        for m in markers_in(s.text):
            if m in footnotes and m not in seen:
                seen.add(m)
                out.append(m)
    return out


def _footnote_sequences(changes: Sequence[ProvisionChange]) -> list[list[str]]:
    """The footnote markers of the newer and of the older reading of a redline."""
    newer = [c.after for c in changes]
    older = sorted((c.before for c in changes if c.before), key=lambda s: s.position)
    return [_footnote_markers(newer), _footnote_markers(older)]


def _write_notes(
    parts: NoteParts, before: Snapshot | None, after: Snapshot | None, *, clean: bool = False
) -> NoteRefs | None:
    """Write a provision's notes (changes inside them tracked) and say where markers point.

    A note is written only when its marker stands in the text it belongs to; notes whose
    marker was lost stay out rather than dangle."""
    if not (before and before.notes) and not (after and after.notes):
        return None
    old_text = before.text if before else ""
    new_text = after.text if after else ""
    newer: dict[str, tuple[str, int]] = {}
    older: dict[str, tuple[str, int]] = {}
    for pair in pair_notes(before.notes if before else (), after.notes if after else ()):
        in_new = pair.after is not None and marker_token(pair.marker) in new_text
        in_old = pair.before is not None and marker_token(pair.marker) in old_text
        if not (in_new or in_old):
            continue
        note = pair.after if in_new else pair.before
        if clean:  # one text, no markup
            ops = note_ops(note, note)
        elif in_new:
            ops = note_ops(pair.before if in_old else None, note)
        else:
            ops = note_ops(note, None)
        note_id = parts.add(note.kind, pair.marker, ops)  # type: ignore[union-attr]
        if in_new:
            newer[pair.marker] = (note.kind, note_id)  # type: ignore[union-attr]
        if in_old:
            older[pair.marker] = (pair.before.kind, note_id)  # type: ignore[union-attr]
    return (parts, newer, older)
