"""Building blocks of `redline.domain.export.word`: heading lines, the document writer,
provision bodies.

Split out of word.py to keep each module short; the public API lives in word.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from redline.domain.export.word_notes import NoteParts, split_markers
from redline.domain.export.word_ooxml import (
    DELETE,
    EQUAL,
    INSERT,
    comment_range_end,
    comment_range_start,
    comment_reference_run,
    make_run,
    mark_paragraph,
    tracked_run,
    w_date,
    xml_text,
)
from redline.domain.text.compare import Snapshot
from redline.domain.text.notes import marker_token
from redline.domain.text.redline import Op
from redline.domain.text.redline import redline as word_diff

# Heading 1 for these kinds (the preamble is a part of its own, like a chapter), Heading 2 else.
TOP_LEVEL = frozenset({"preamble", "division", "annex"})


def heading_style(kind: str) -> str:
    return "Heading 1" if kind in TOP_LEVEL else "Heading 2"


def heading_parts(number: str, heading: str, kind: str = "article") -> tuple[str, str, str]:
    """(number, separator, heading) of a heading line: "Article 6", " – ", "Direct disclosure".

    A number ending in "." or ")" ("0.", "a)") is followed by a plain space, as in the GPL; a
    preamble with neither number nor heading is headed "Preamble".
    """
    if not number and not heading and kind == "preamble":
        heading = "Preamble"
    if number and heading:
        sep = " " if number[-1] in ".)" else " – "
    else:
        sep = ""
    return number, sep, heading


def heading_label(number: str, heading: str, kind: str = "article") -> str:
    return "".join(heading_parts(number, heading, kind))


def snapshot_parts(s: Snapshot | None) -> tuple[str, str, str]:
    return heading_parts(s.number, s.heading, s.kind) if s else ("", "", "")


def heading_ops(before: Snapshot | None, after: Snapshot | None) -> list[Op]:
    """The tracked changes of a heading line: whole number, whole separator, heading word diff."""
    old, new = snapshot_parts(before), snapshot_parts(after)
    ops: list[Op] = []
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        if i == 2:
            ops.extend(word_diff(a, b))
        elif a == b:
            ops.append((EQUAL, a))
        else:
            ops.extend([(DELETE, a), (INSERT, b)])
    merged: list[Op] = []
    for kind, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def mark_kind(old: str, new: str) -> str:
    """How the paragraph mark closing a heading or a body is tracked."""
    if not old and new:
        return INSERT
    if old and not new:
        return DELETE
    return EQUAL


@dataclass
class Anchor:
    comment_id: int
    start: int
    end: int
    state: int = 0  # 0 not placed, 1 range opened, 2 closed


class Writer:
    """One document being written: the python-docx Document plus the revision id counter."""

    def __init__(self, author: str = "", date: datetime | None = None) -> None:
        self.doc = docx.Document()
        self.author = author
        self.date = w_date(date) if date else ""
        self.when = date
        self.next_id = 0

    def tracked(self, kind: str, text: str):
        if kind == EQUAL:
            return make_run(text)
        self.next_id += 1
        return tracked_run(kind, text, self.next_id - 1, self.author, self.date)

    def mark(self, p, kind: str) -> None:
        if kind != EQUAL:
            self.next_id += 1
            mark_paragraph(p, kind, self.next_id - 1, self.author, self.date)

    def _cover_style(self, name: str, base: str):
        from docx.enum.style import WD_STYLE_TYPE

        styles = self.doc.styles
        if name in [s.name for s in styles]:
            return styles[name]
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        return style

    def paragraph(self, style: str | None = None):
        return self.doc.add_paragraph(style=style)._p

    def front(self, title: str, subtitle: str) -> None:
        # Our own cover styles (based on Title and Subtitle, so they look the same): an import
        # of this file, edited in Word or not, knows the cover block is not the instrument's text.
        self.doc.add_paragraph(xml_text(title), style=self._cover_style("Redline Title", "Title"))
        if subtitle:
            style = self._cover_style("Redline Subtitle", "Subtitle")
            self.doc.add_paragraph(xml_text(subtitle), style=style)
        props = self.doc.core_properties
        props.title = xml_text(title)[:255]
        props.author = props.last_modified_by = xml_text(self.author) or "Redline"
        props.comments = "Generated by Redline"
        # python-docx writes the datetime as given, followed by a Z: hand it UTC.
        when = (self.when or datetime.now(UTC)).astimezone(UTC)
        props.created = props.modified = when

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


NoteRefs = tuple[NoteParts, dict[str, tuple[str, int]], dict[str, tuple[str, int]]]


def set_bidi(p) -> None:
    """Mark Word paragraph `p` right to left (w:bidi), as Word does for an rtl paragraph."""
    ppr = p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        bidi = OxmlElement("w:bidi")
        # w:bidi comes before spacing, indentation, justification, rPr... in pPr's sequence.
        follows = (
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
        )
        last = None
        for child in ppr:
            if child.tag in {qn(t) for t in follows}:
                last = child
        if last is None:
            ppr.insert(0, bidi)
        else:
            last.addnext(bidi)


class Body:
    """Writes one provision's ops into Word paragraphs, placing comment ranges on the way.

    `offset` counts characters of the newer text written so far; deleted text does not advance
    it. A range end is placed as soon as the offset reaches it (before any deletion there), a
    range start just before the next equal or inserted text at or after it.
    """

    def __init__(
        self,
        writer: Writer,
        anchors: Iterable[Anchor],
        notes: NoteRefs | None = None,
        direction: str = "ltr",
    ) -> None:
        self.w = writer
        self.anchors = sorted(anchors, key=lambda a: (a.start, a.end))
        self.offset = 0
        # Where each note marker points: (note parts, {marker: (kind, id)} of the newer text,
        # the same for the older text (markers in deleted text)).
        self.notes = notes
        self.rtl = direction == "rtl"
        self.p = self._new_paragraph()

    def _new_paragraph(self):
        p = self.w.paragraph()
        if self.rtl:
            set_bidi(p)
        return p

    def write(self, kind: str, text: str) -> None:
        for i, piece in enumerate(text.split("\n\n")):
            if i:
                self._close_ends()
                self.w.mark(self.p, kind)
                self.p = self._new_paragraph()
                if kind != DELETE:
                    self.offset += 2
            if piece:
                self._text(kind, piece)

    def finish(self, mark_kind: str) -> None:
        self._close_ends()
        self._open_starts()
        self._close_ends()
        self.w.mark(self.p, mark_kind)

    def _text(self, kind: str, text: str) -> None:
        if self.notes is None:
            self._plain(kind, text)
            return
        parts, newer, older = self.notes
        refs = older if kind == DELETE else newer
        for what, piece in split_markers(text, set(refs)):
            if what == "text":
                self._plain(kind, piece)
                continue
            note_kind, note_id = refs[piece]
            if kind != DELETE:
                self._close_ends()
                self._open_starts()
            self.p.append(parts.reference(note_kind, note_id, piece, kind))
            if kind != DELETE:
                self.offset += len(marker_token(piece))

    def _plain(self, kind: str, text: str) -> None:
        if kind == DELETE:
            self._close_ends()
            self.p.append(self.w.tracked(DELETE, text))
            return
        cuts = sorted(
            {
                b - self.offset
                for a in self.anchors
                for b in (a.start, a.end)
                if 0 < b - self.offset < len(text)
            }
        )
        for lo, hi in zip([0, *cuts], [*cuts, len(text)], strict=True):
            self._close_ends()
            self._open_starts()
            self.p.append(self.w.tracked(kind, text[lo:hi]))
            self.offset += hi - lo

    def _open_starts(self) -> None:
        for a in self.anchors:
            if a.state == 0 and a.start <= self.offset:
                self.p.append(comment_range_start(a.comment_id))
                a.state = 1
                self._close_ends()

    def _close_ends(self) -> None:
        for a in self.anchors:
            if a.state == 1 and a.end <= self.offset:
                self.p.append(comment_range_end(a.comment_id))
                self.p.append(comment_reference_run(a.comment_id))
                a.state = 2
