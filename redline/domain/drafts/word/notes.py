"""Footnotes and endnotes: the marker Word shows for each reference, and the note's text.

Footnotes are numbered 1, 2, 3... and endnotes i, ii, iii... in the order their references are
shown, unless settings.xml (`w:footnotePr`/`w:endnotePr`) or the body's final section properties
give another `w:numFmt` or `w:numStart`. A reference with `w:customMarkFollows` shows its own
mark (the run's text after it) and takes no number. Separator and continuation-separator notes
are Word's furniture, not notes.
"""

from __future__ import annotations

from collections import Counter

from redline.domain.drafts.paragraphs import ENDNOTE, FOOTNOTE, Note
from redline.domain.drafts.word.numbering import format_number
from redline.domain.drafts.word.package import Package, small_int, w, wval
from redline.domain.drafts.word.text import TextWalker, clean_text

W_ID, W_TYPE, W_P = w("id"), w("type"), w("p")


class Notes:
    """Called by the body's walker for each note reference it shows, in document order."""

    def __init__(self, package: Package, mode: str, not_carried: Counter) -> None:
        self.mode = mode
        self.not_carried = not_carried
        self.counts = {FOOTNOTE: 0, ENDNOTE: 0}
        self.parts = {
            FOOTNOTE: _by_id(package.related("footnotes"), "footnote"),
            ENDNOTE: _by_id(package.related("endnotes"), "endnote"),
        }
        self.formats = _formats(package)

    def __call__(self, kind: str, ident: str, custom: str | None) -> Note | None:
        element = self.parts[kind].get(ident)
        if element is None:
            return None
        if custom is not None:
            marker = custom
        else:
            fmt, start = self.formats[kind]
            marker = format_number(start + self.counts[kind], fmt)
            self.counts[kind] += 1
        walker = TextWalker(self.mode, self.not_carried)
        lines = [clean_text(walker.paragraph(p)[0]).strip() for p in element.iter(W_P)]
        text = "\n".join(line for line in lines if line)
        if custom and text.startswith(custom):
            # Word has no w:footnoteRef to show a custom mark in the note: the mark is typed at
            # the note's start. It is the marker, not the note's text.
            text = text[len(custom) :].lstrip()
        return Note(marker=marker, text=text, kind=kind)


def _formats(package: Package) -> dict[str, tuple[str, int]]:
    formats = {FOOTNOTE: ("decimal", 1), ENDNOTE: ("lowerRoman", 1)}
    document = package.xml(package.main)
    body = document.find(w("body")) if document is not None else None
    sect = body.find(w("sectPr")) if body is not None else None
    for holder in (package.related("settings"), sect):
        for kind, tag in ((FOOTNOTE, "footnotePr"), (ENDNOTE, "endnotePr")):
            props = holder.find(w(tag)) if holder is not None else None
            if props is not None:
                fmt, start = formats[kind]
                number = wval(props, "numStart")
                formats[kind] = (wval(props, "numFmt") or fmt, small_int(number, start))
    return formats


def _by_id(root, tag: str) -> dict:
    if root is None:
        return {}
    return {n.get(W_ID, ""): n for n in root.iter(w(tag)) if n.get(W_TYPE, "normal") == "normal"}
