"""Footnotes and endnotes in the Word exports: real notes at their markers.

A provision's text holds a note's marker as `[^m]`; in the .docx the marker becomes a
``w:footnoteReference`` (``w:endnoteReference``) and the note's text goes to footnotes.xml
(endnotes.xml), one Word paragraph per paragraph of the note. python-docx has no API for notes,
so the parts are built here (ECMA-376 Part 1, 17.11).

Numbering: Word numbers footnotes itself, 1, 2, 3... through the document. When a document's
footnote markers are exactly that sequence, the notes are written auto-numbered (what Word
itself makes); otherwise (markers restart per provision, "*", "a"...) each reference carries
its marker as a custom mark (``w:customMarkFollows``) so Word shows what the text says.
Endnotes are always written with custom marks (Word numbers them i, ii, iii by default).

In a redline, a note whose text changed holds the changes as tracked changes inside it; an
added (removed) note sits at an inserted (deleted) marker and its text is inserted (deleted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from redline.domain.drafts.paragraphs import ENDNOTE, FOOTNOTE, Note
from redline.domain.export.word_ooxml import DELETE, EQUAL, INSERT, make_run, xml_text
from redline.domain.text.notes import marker_token
from redline.domain.text.redline import Op

_MARKER = re.compile(r"\[\^([^\[\]\s]{1,20})\]")

_EMPTY = {
    FOOTNOTE: ("footnotes", "footnote", CT.WML_FOOTNOTES, RT.FOOTNOTES, "/word/footnotes.xml"),
    ENDNOTE: ("endnotes", "endnote", CT.WML_ENDNOTES, RT.ENDNOTES, "/word/endnotes.xml"),
}


def markers_in(text: str) -> list[str]:
    return _MARKER.findall(text)


def auto_numbered(sequences: Iterable[Sequence[str]]) -> bool:
    """True when every reading of the document numbers its footnotes 1, 2, 3..."""
    return all(list(seq) == [str(i) for i in range(1, len(seq) + 1)] for seq in sequences)


def split_markers(text: str, known: set[str]) -> list[tuple[str, str]]:
    """`text` as ("text", piece) and ("marker", m) items, for markers of known notes only."""
    out: list[tuple[str, str]] = []
    last = 0
    for m in _MARKER.finditer(text):
        if m.group(1) not in known:
            continue
        if m.start() > last:
            out.append(("text", text[last : m.start()]))
        out.append(("marker", m.group(1)))
        last = m.end()
    if last < len(text):
        out.append(("text", text[last:]))
    return out


class NoteParts:
    """The footnotes and endnotes parts of one document, created on first use."""

    def __init__(self, writer, *, auto_footnotes: bool) -> None:
        self.w = writer
        self.auto = {FOOTNOTE: auto_footnotes, ENDNOTE: False}
        self.roots: dict[str, object] = {}
        self.next_id = {FOOTNOTE: 1, ENDNOTE: 1}

    def _root(self, kind: str):
        if kind not in self.roots:
            plural, single, content_type, reltype, name = _EMPTY[kind]
            root = parse_xml(
                f"<w:{plural} {nsdecls('w', 'r')}>"
                f'<w:{single} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                f"</w:{single}>"
                f'<w:{single} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                f"<w:continuationSeparator/></w:r></w:p></w:{single}></w:{plural}>"
            )
            doc_part = self.w.doc.part
            part = XmlPart(PackURI(name), content_type, root, doc_part.package)
            doc_part.relate_to(part, reltype)
            self.roots[kind] = root
        return self.roots[kind]

    def add(self, kind: str, marker: str, ops: Sequence[Op]) -> int:
        """A note holding `ops` (tracked when not all equal); returns its w:id."""
        root = self._root(kind)
        single = _EMPTY[kind][1]
        note_id = self.next_id[kind]
        self.next_id[kind] += 1
        note = OxmlElement(f"w:{single}", attrs={qn("w:id"): str(note_id)})
        root.append(note)
        p = _note_paragraph(note)
        p.append(self._own_mark(kind, marker))
        p.append(make_run(" "))
        for op_kind, text in ops:
            for i, piece in enumerate(text.split("\n\n")):
                if i:
                    self.w.mark(p, op_kind)
                    p = _note_paragraph(note)
                if piece:
                    p.append(self.w.tracked(op_kind, piece))
        return note_id

    def _own_mark(self, kind: str, marker: str):
        """The note's own mark at the start of its text (Word's footnoteRef, or the custom
        mark), superscript."""
        r = _superscript_run()
        if self.auto[kind]:
            r.append(OxmlElement(f"w:{_EMPTY[kind][1]}Ref"))
        else:
            t = OxmlElement("w:t")
            t.text = xml_text(marker)
            r.append(t)
        return r

    def reference(self, kind: str, note_id: int, marker: str, op_kind: str):
        """The reference run(s) in the text, tracked as `op_kind` ("equal": untracked)."""
        single = _EMPTY[kind][1]
        r = _superscript_run()
        ref = OxmlElement(f"w:{single}Reference", attrs={qn("w:id"): str(note_id)})
        if not self.auto[kind]:
            ref.set(qn("w:customMarkFollows"), "1")
        r.append(ref)
        if not self.auto[kind]:
            tag = "w:delText" if op_kind == DELETE else "w:t"
            t = OxmlElement(tag)
            t.text = xml_text(marker)
            r.append(t)
        if op_kind == EQUAL:
            return r
        wrapper = self.w.tracked(op_kind, "")
        for child in list(wrapper):
            wrapper.remove(child)
        wrapper.append(r)
        return wrapper


def _note_paragraph(note):
    p = OxmlElement("w:p")
    note.append(p)
    return p


def _superscript_run():
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    va = OxmlElement("w:vertAlign", attrs={qn("w:val"): "superscript"})
    rpr.append(va)
    r.append(rpr)
    return r


def note_ops(before: Note | None, after: Note | None) -> list[Op]:
    """The ops inside a note between two points (all equal when unchanged)."""
    from redline.domain.text.redline import redline

    old = before.text if before else ""
    new = after.text if after else ""
    if old == new:
        return [(EQUAL, new)] if new else []
    if before is None:
        return [(INSERT, new)]
    if after is None:
        return [(DELETE, old)]
    return redline(old, new)


__all__ = [
    "NoteParts",
    "auto_numbered",
    "marker_token",
    "markers_in",
    "note_ops",
    "split_markers",
]
