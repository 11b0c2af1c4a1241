"""Read a .docx as Word renders it: `read_word(data, tracked_changes)`.

The body is read in document order (paragraphs, tables, block content controls); each
paragraph's text comes from `word_text.TextWalker`, its automatic number from
`word_numbering.Numbering`, its heading hint, outline level and direction from its own
properties and its style chain (`word_styles`). Tracked changes are resolved one way for the
whole file ("accept": Word's No Markup view, or "reject": the original), paragraph marks
included: a deleted mark joins its paragraph with the next on accept, an inserted one on reject.
Footnote and endnote references become `[^m]` with the number Word shows; Word comments become
`DraftComment`s. See docs/import.md for the conventions and what is not carried.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from redline.domain.drafts.errors import DraftError
from redline.domain.drafts.paragraphs import (
    CELL,
    COVER,
    COVER_STYLES,
    HEADING,
    LTR,
    RTL,
    DraftParagraph,
    Note,
    WordExtras,
)
from redline.domain.drafts.word.notes import Notes
from redline.domain.drafts.word.numbering import Numbering
from redline.domain.drafts.word.package import Package, small_int, w, wval
from redline.domain.drafts.word.styles import Styles
from redline.domain.drafts.word.text import TextWalker
from redline.domain.drafts.word.text import clean_text as _clean

W_ALTCHUNK = w("altChunk")
W_BODY = w("body")
W_CUSTOMXML = w("customXml")
W_DEL = w("del")
W_ID = w("id")
W_INS = w("ins")
W_NUMPR = w("numPr")
W_P = w("p")
W_PPR = w("pPr")
W_RPR = w("rPr")
W_SDT = w("sdt")
W_SDTCONTENT = w("sdtContent")
W_SECTPR = w("sectPr")
W_T = w("t")
W_TBL = w("tbl")
W_TC = w("tc")
W_TCPR = w("tcPr")
W_TR = w("tr")
W_TRPR = w("trPr")
W_TYPE = w("type")
W_VMERGE = w("vMerge")
W_VAL = w("val")
W_BIDI = w("bidi")
W_PSTYLE = w("pStyle")
W_MOVEFROM = w("moveFrom")
W_MOVETO = w("moveTo")
W_NUMID = w("numId")
W_ILVL = w("ilvl")
W_OUTLINELVL = w("outlineLvl")

MODES = ("accept", "reject")


@dataclass
class _Raw:
    """One paragraph as stored, before paragraph marks are resolved."""

    text: str
    notes: list[Note]
    ppr: object
    joins_next: bool
    last: int  # raw paragraph number, for comment anchors


@dataclass
class _Merged:
    text: str
    notes: list[Note]
    ppr: object
    last: int  # the raw paragraph whose mark ends it


@dataclass
class _Table:
    rows: list[list[list]] = field(default_factory=list)  # row -> cell -> blocks
    lasts: list[int] = field(default_factory=list)  # per row: its last raw paragraph


class _Reader:
    def __init__(self, package: Package, mode: str) -> None:
        self.package = package
        self.mode = mode
        self.not_carried: Counter = Counter()
        self.styles = Styles(package.related("styles"))
        self.numbering = Numbering(package.related("numbering"), self.styles.num_ids())
        self.walker = TextWalker(mode, self.not_carried, Notes(package, mode, self.not_carried))
        self.raw_count = 0

    # ---- body
    def blocks(self, container) -> list:
        """Paragraphs (merged across deleted marks) and tables of `container`, in order."""
        out: list = []
        pending: list[_Raw] = []
        for child in container:
            tag = child.tag
            if tag == W_P:
                raw = self._paragraph(child)
                pending.append(raw)
                if not raw.joins_next:
                    out.append(_merge(pending))
                    pending = []
            elif tag == W_TBL:
                out.extend([_merge(pending)] if pending else [])
                pending = []
                out.append(self._table(child))
            elif tag in (W_SDT,):
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    out.extend(self.blocks(content))
            elif tag in (
                W_CUSTOMXML,
                W_INS if self.mode == "accept" else None,
                W_DEL if self.mode == "reject" else None,
            ):
                out.extend(self.blocks(child))
            elif tag == W_ALTCHUNK:
                self.not_carried["embedded documents"] += 1
        if pending:
            out.append(_merge(pending))
        return out

    def _paragraph(self, p) -> _Raw:
        ppr = _child(p, W_PPR)
        mark = _child(ppr, W_RPR)
        gone = (W_DEL, W_MOVEFROM) if self.mode == "accept" else (W_INS, W_MOVETO)
        removed = mark is not None and any(c.tag in gone for c in mark)
        self.walker.paragraph_index = self.raw_count
        text, notes = self.walker.paragraph(p)
        raw = _Raw(text, notes, ppr, removed, self.raw_count)
        self.raw_count += 1
        if not removed:
            self.walker.end_paragraph()
        return raw

    def _table(self, tbl) -> _Table:
        table = _Table()
        for tr in tbl.iter(W_TR):
            if _nearest(tr, W_TBL) is not tbl:
                continue  # a nested table's row: read inside its cell
            trpr = tr.find(W_TRPR)
            if _has(trpr, "del" if self.mode == "accept" else "ins"):
                continue
            row = []
            for tc in tr.iter(W_TC):
                if _nearest(tc, W_TR) is not tr:
                    continue  # a nested table's cell
                tcpr = tc.find(W_TCPR)
                merge = tcpr.find(W_VMERGE) if tcpr is not None else None
                if tcpr is not None and wval(tcpr, "hMerge") == "continue":
                    continue  # legacy horizontal merge: the first cell holds the text
                if merge is not None and merge.get(W_VAL, "continue") == "continue":
                    row.append([])  # vertically merged: the text is in the cell above
                    continue
                row.append(self.blocks(tc))
            table.rows.append(row)
            table.lasts.append(self.raw_count - 1)  # where the row ends, for comment anchors
        return table

    # ---- rendering, in document order (numbering counts as Word does)
    def render(self, blocks: list) -> list[tuple[DraftParagraph, int]]:
        out: list[tuple[DraftParagraph, int]] = []
        for block in blocks:
            if isinstance(block, _Table):
                for row, last in zip(block.rows, block.lasts, strict=True):
                    cells, notes, rtl = [], [], False
                    for cell in row:
                        parts = self._flatten(cell)
                        cells.append(" ".join(t for t, _, _ in parts if t))
                        notes.extend(n for _, ns, _ in parts for n in ns)
                        rtl = rtl or any(r for _, _, r in parts)
                    if any(c.strip() for c in cells):
                        text = "\t".join(cells)
                        out.append(
                            (
                                DraftParagraph(text, CELL, None, RTL if rtl else LTR, tuple(notes)),
                                last,
                            )
                        )
                continue
            paragraph = self._render_paragraph(block)
            if paragraph.text.strip():
                out.append((paragraph, block.last))
        return out

    def _flatten(self, blocks: list) -> list[tuple[str, list[Note], bool]]:
        parts = []
        for block in blocks:
            if isinstance(block, _Table):
                for row in block.rows:
                    for cell in row:
                        parts.extend(self._flatten(cell))
            else:
                p = self._render_paragraph(block)
                parts.append(
                    (
                        " ".join(p.text.replace("\t", " ").split("\n")).strip(),
                        list(p.notes),
                        p.direction == RTL,
                    )
                )
        return parts

    def _render_paragraph(self, block: _Merged | _Raw) -> DraftParagraph:
        style_id = num_id = level = outline = bidi = None
        if block.ppr is not None:  # one pass over the properties: this runs per paragraph
            for child in block.ppr:
                tag = child.tag
                if tag == W_PSTYLE:
                    style_id = child.get(W_VAL)
                elif tag == W_NUMPR:
                    for item in child:
                        if item.tag == W_NUMID:
                            num_id = item.get(W_VAL)
                        elif item.tag == W_ILVL:
                            level = item.get(W_VAL)
                elif tag == W_OUTLINELVL:
                    outline = child.get(W_VAL)
                elif tag == W_BIDI:
                    bidi = child.get(W_VAL, "true").lower() not in ("0", "false", "off")
        info = self.styles.info(style_id)
        num_id = num_id or info.num_id
        ilvl = small_int(level, info.ilvl)
        if num_id and ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style_id or self.styles.default) or 0
        label = self.numbering.label(num_id, ilvl or 0) if num_id else None
        text = _clean(label + block.text if label else block.text)
        outline_level = info.outline_level
        if small_int(outline, None) is not None:
            outline_level = small_int(outline, None) if small_int(outline, 9) < 9 else None
        rtl = info.bidi if bidi is None else bidi
        hint = HEADING if info.heading or outline_level is not None else ""
        if style_id in COVER_STYLES:
            hint = COVER
        return DraftParagraph(text, hint, outline_level, RTL if rtl else LTR, tuple(block.notes))


def _merge(raws: list[_Raw]) -> _Merged | _Raw:
    last = raws[-1]
    if len(raws) == 1:
        return last  # the usual case: a paragraph whose mark stays
    return _Merged(
        "".join(r.text for r in raws), [n for r in raws for n in r.notes], last.ppr, last.last
    )


def _nearest(element, tag: str):
    """The nearest ancestor `tag` of `element` (rows and cells may sit in content controls)."""
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _child(element, tag: str):
    """The first child `tag` of `element` (iterating beats ElementPath's find here)."""
    if element is not None:
        for child in element:
            if child.tag == tag:
                return child
    return None


def _has(element, *tags: str) -> bool:
    return element is not None and any(element.find(w(t)) is not None for t in tags)


def read_word(
    data: bytes, tracked_changes: str = "accept"
) -> tuple[list[DraftParagraph], WordExtras]:
    """The paragraphs of a .docx as Word shows them, and everything else it brought."""
    paragraphs, extras, _ = read_word_file(data, tracked_changes)
    return paragraphs, extras


def read_word_file(
    data: bytes, tracked_changes: str = "accept"
) -> tuple[list[DraftParagraph], WordExtras, str]:
    """`read_word`, plus the title of the file's core properties ("" when none)."""
    from redline.domain.drafts.word.review import count_changes, read_comments

    if tracked_changes not in MODES:
        raise DraftError("Tracked changes can only be accepted or rejected (accept|reject).")
    package = Package(data)
    document = package.xml(package.main)
    body = document.find(W_BODY) if document is not None else None
    if body is None:
        if document is not None and "purl.oclc.org" in document.tag:
            raise DraftError(
                "The file is saved as Strict Open XML, which cannot be read: in Word, save it "
                "as 'Word Document (.docx)' and upload it again."
            )
        raise DraftError("The .docx file has no document body: it is not a Word document.")
    reader = _Reader(package, tracked_changes)
    rendered = reader.render(reader.blocks(body))
    paragraphs = [p for p, _ in rendered]
    lasts = [last for _, last in rendered]

    def where(raw: int) -> int:  # `lasts` never decreases: the first paragraph ending at or after
        return min(bisect_left(lasts, raw), max(len(lasts) - 1, 0))

    comments_part = package.related("comments")

    def comment_body(comment) -> str:
        walker = TextWalker(tracked_changes, Counter())
        lines = [_clean(walker.paragraph(p)[0]).strip() for p in comment.iter(W_P)]
        return "\n".join(line for line in lines if line)

    walker = reader.walker
    comments = read_comments(
        comments_part, comment_body, walker.comment_text, walker.comment_start, where
    )
    roots = [body, package.related("footnotes"), package.related("endnotes")]
    tracked = count_changes(roots, len(comments), [c.author for c in comments], tracked_changes)
    for part in (*package.related_all("header"), *package.related_all("footer")):
        if any((t.text or "").strip() for t in part.iter(W_T)):
            reader.not_carried["headers and footers"] += 1
    language = reader.styles.language
    if not language:
        first = body.find(f".//{w('rPr')}/{w('lang')}")
        language = first.get(W_VAL, "") if first is not None else ""
    extras = WordExtras(
        language=language,
        tracked=tracked,
        comments=tuple(comments),
        not_carried=dict(sorted(reader.not_carried.items())),
    )
    return paragraphs, extras, core_title(package)


def core_title(package: Package) -> str:
    """The title in the file's core properties (File > Properties), or ""."""
    for rel_type, target in package.relationships("").values():
        if rel_type.endswith("/core-properties"):
            root = package.xml(target)
            if root is not None:
                title = root.find("{http://purl.org/dc/elements/1.1/}title")
                return (title.text or "").strip() if title is not None else ""
    return ""
