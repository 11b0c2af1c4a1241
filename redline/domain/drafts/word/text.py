"""The text of a Word paragraph as Word shows it: runs in document order, wherever they sit.

Text hides in containers python-docx's `paragraph.text` does not open: hyperlinks, tracked
insertions and deletions (one side shown, per the secretariat's choice), moves, smart tags,
custom XML, content controls (`w:sdt`), simple fields (`w:fldSimple`: its result) and complex
fields (`w:fldChar` begin/separate/end: the result between separate and end, never the field
code in `w:instrText`). Fields may span runs and paragraphs, so the field stack lives in the
walker, not in a paragraph. What cannot be carried as text is counted, never dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from redline.domain.drafts.paragraphs import Note
from redline.domain.drafts.word.package import on, w

W_BR = w("br")
W_CHAR = w("char")
W_COMMENTRANGEEND = w("commentRangeEnd")
W_COMMENTREFERENCE = w("commentReference")
W_COMMENTRANGESTART = w("commentRangeStart")
W_CR = w("cr")
W_CUSTOMMARKFOLLOWS = w("customMarkFollows")
W_DEL = w("del")
W_DELTEXT = w("delText")
W_DRAWING = w("drawing")
W_ENDNOTEREFERENCE = w("endnoteReference")
W_FLDCHAR = w("fldChar")
W_FLDCHARTYPE = w("fldCharType")
W_FONT = w("font")
W_FOOTNOTEREFERENCE = w("footnoteReference")
W_ID = w("id")
W_INS = w("ins")
W_MOVEFROM = w("moveFrom")
W_MOVETO = w("moveTo")
W_NOBREAKHYPHEN = w("noBreakHyphen")
W_OBJECT = w("object")
W_PICT = w("pict")
W_PTAB = w("ptab")
W_R = w("r")
W_RPR = w("rPr")
W_SDT = w("sdt")
W_SDTCONTENT = w("sdtContent")
W_SYM = w("sym")
W_T = w("t")
W_TAB = w("tab")

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"

# The Symbol font's private-use codes Word writes in w:sym, for the characters drafts use.
_GREEK_UPPER = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ"
_GREEK_LOWER = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"
_SYMBOL = {
    0xB7: "\u2022",
    0xB1: "\u00b1",
    0xB4: "\u00d7",
    0xB8: "\u00f7",
    0xAE: "\u2192",
    0xAC: "\u2190",
    0xA3: "\u2264",
    0xB3: "\u2265",
    0xB9: "\u2260",
    0xBB: "\u2248",
    0xA5: "\u221e",
    0xB0: "\u00b0",
    0xD2: "\u00ae",
    0xD3: "\u00a9",
    0xD4: "\u2122",
    0xA2: "\u2032",
    0xB2: "\u2033",
    0x2D: "\u2212",
    0xBC: "\u2026",
    0xDE: "\u21d2",
}
_SYMBOL.update({0x41 + i: ch for i, ch in enumerate(_GREEK_UPPER)})
_SYMBOL.update({0x61 + i: ch for i, ch in enumerate(_GREEK_LOWER)})

_CONTAINERS = {w(t) for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir")}
_INSERTED = {W_INS, W_MOVETO}
_DELETED = {W_DEL, W_MOVEFROM}
_SKIPPED_IN_RUN = {
    w(t)
    for t in (
        "rPr",
        "instrText",
        "delInstrText",
        "footnoteRef",
        "endnoteRef",
        "annotationRef",
        "separator",
        "continuationSeparator",
        "lastRenderedPageBreak",
        "softHyphen",
        "pgNum",
        "dayShort",
        "monthShort",
        "yearShort",
        "dayLong",
        "monthLong",
        "yearLong",
    )
}

# Paragraph-level elements that never hold text of their own.
_NO_TEXT = {
    w(t)
    for t in (
        "pPr",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
    )
}
W_RUBY, W_RUBYBASE = w("ruby"), w("rubyBase")

NoteRef = Callable[[str, str, str | None], Note | None]


def symbol(font: str, code: int) -> str | None:
    """The character a w:sym shows, or None when it cannot be mapped (e.g. Wingdings)."""
    if 0x20 <= code < 0xD800 or 0xE000 <= code < 0xF000:  # never a surrogate or a control
        return chr(code)
    if font.lower() == "symbol":
        return _SYMBOL.get(code - 0xF000)
    return None


def drawing_kind(element) -> str:
    """What a w:drawing or w:pict holds, in the secretariat's words."""
    names = {child.tag.rsplit("}", 1)[-1] for child in element.iter() if isinstance(child.tag, str)}
    uris = " ".join(
        g.get("uri", "")
        for g in element.iter()
        if isinstance(g.tag, str) and g.tag.endswith("}graphicData")
    )
    if "txbx" in names or "textbox" in names:
        return "text boxes"
    if "chart" in uris:
        return "charts"
    if "diagram" in uris:
        return "diagrams"
    if "imagedata" in names or "pic" in names or "blip" in names:
        return "images"
    return "drawings"


class TextWalker:
    """Walks inline content, keeping field state, open comments and what was not carried."""

    def __init__(self, mode: str, not_carried: Counter, note_ref: NoteRef | None = None) -> None:
        self.mode = mode
        self.not_carried = not_carried
        self.note_ref = note_ref
        self.fields: list[bool] = []  # per open complex field: True once its result shows
        self.out: list[str] = []
        self.notes: list[Note] = []
        self.open_comments: dict[str, list[str]] = {}
        self.comment_text: dict[str, list[str]] = {}
        self.comment_start: dict[str, int] = {}
        self.paragraph_index = 0  # the raw paragraph being walked, for comment anchors

    def paragraph(self, p) -> tuple[str, list[Note]]:
        """The text and note references of paragraph `p` (its properties are left aside)."""
        self.out, self.notes = [], []
        self.walk(p)
        return "".join(self.out), self.notes

    def end_paragraph(self) -> None:
        for buffer in self.open_comments.values():
            buffer.append("\n\n")

    def emit(self, text: str) -> None:
        if all(self.fields):
            self.out.append(text)
            for buffer in self.open_comments.values():
                buffer.append(text)

    def walk(self, element) -> None:
        for child in element:
            tag = child.tag
            if tag == W_R:
                self.run(child)
            elif tag in _CONTAINERS:
                self.walk(child)
            elif tag in _INSERTED:
                if self.mode == "accept":
                    self.walk(child)
            elif tag in _DELETED:
                if self.mode == "reject":
                    self.walk(child)
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self.walk(content)
            elif tag == W_COMMENTRANGESTART:
                ident = child.get(W_ID, "")
                self.open_comments[ident] = self.comment_text.setdefault(ident, [])
                self.comment_start.setdefault(ident, self.paragraph_index)
            elif tag == W_COMMENTRANGEEND:
                self.open_comments.pop(child.get(W_ID, ""), None)
            elif tag in (f"{{{MATH}}}oMath", f"{{{MATH}}}oMathPara"):
                self.not_carried["equations"] += 1
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self.walk(choice)
            elif isinstance(tag, str) and tag not in _NO_TEXT and _has_text(child):
                self.walk(child)  # a container this reader does not name: its text still shows

    def run(self, r) -> None:
        children = list(r)
        if children and children[0].tag == W_RPR and on(children[0], "vanish"):
            if any(t.text for t in r.iter(W_T)):
                self.not_carried["hidden text"] += 1
            return
        skip_marks: set[int] = set()
        for i, child in enumerate(children):
            tag = child.tag
            if i in skip_marks or tag in _SKIPPED_IN_RUN:
                continue
            if tag in (W_T, W_DELTEXT):
                self.emit(child.text or "")
            elif tag == W_FLDCHAR:
                kind = child.get(W_FLDCHARTYPE)
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag in (W_TAB, W_PTAB):
                self.emit("\t")
            elif tag in (W_BR, W_CR):
                self.emit("\n")
            elif tag == W_NOBREAKHYPHEN:
                self.emit("\u2011")
            elif tag == W_SYM:
                shown = symbol(
                    child.get(W_FONT, ""),
                    int(child.get(W_CHAR, "0"), 16) if _hex(child.get(W_CHAR, "")) else 0,
                )
                if shown is None:
                    self.not_carried["symbols"] += 1
                else:
                    self.emit(shown)
            elif tag in (W_FOOTNOTEREFERENCE, W_ENDNOTEREFERENCE):
                custom = None
                if on(child, "customMarkFollows") or child.get(W_CUSTOMMARKFOLLOWS) in (
                    "1",
                    "true",
                    "on",
                ):
                    rest = [j for j in range(i + 1, len(children)) if children[j].tag == W_T]
                    custom = "".join(children[j].text or "" for j in rest)
                    skip_marks.update(rest)
                self.note(tag == W_FOOTNOTEREFERENCE, child.get(W_ID, ""), custom)
            elif tag == W_COMMENTREFERENCE:  # a comment without a range: anchored here
                self.comment_start.setdefault(child.get(W_ID, ""), self.paragraph_index)
            elif tag in (W_DRAWING, W_PICT):
                self.not_carried[drawing_kind(child)] += 1
            elif tag == W_OBJECT:
                self.not_carried["embedded objects"] += 1
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self.run(choice)
            elif tag == W_RUBY:  # East Asian phonetic guide: the base text is the text
                base = child.find(W_RUBYBASE)
                if base is not None:
                    self.walk(base)

    def note(self, footnote: bool, ident: str, custom: str | None) -> None:
        if self.note_ref is None or not all(self.fields):
            return
        found = self.note_ref("footnote" if footnote else "endnote", ident, custom)
        if found is not None:
            self.emit(f"[^{found.marker}]")
            self.notes.append(found)


def _has_text(element) -> bool:
    return any(True for _ in element.iter(W_T))


def _hex(value: str) -> bool:
    try:
        int(value, 16)
    except ValueError:
        return False
    return True


def clean_text(text: str) -> str:
    """Trailing spaces off every line, no empty lines, no leading or trailing line breaks."""
    if "\n" not in text:
        return text.rstrip()
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{2,}", "\n", text).strip("\n")
