"""Read a draft (plain text, Markdown or Word) into provisions, losing nothing.

The secretariat imports the draft that came out of a meeting. The file format of the shared data
set: optional `# key: value` header lines (source, date, title), a blank line, then the text, one
paragraph per block separated by blank lines. Markdown `#` heading markers and Word heading
styles are accepted as headings too.

Guarantee: every paragraph of the text lands in exactly one provision, in order, as heading or as
body; `source_paragraphs(parsed)` rebuilds the paragraph sequence exactly. The one exception is
an editorial marker added by whoever transcribed the text, such as "[EXCERPT ENDS HERE - rest of
document not retrieved]": it is not the drafters' text, so it is kept out of the provisions but
returned in `notes` (with where it stood in `note_places`) rather than dropped silently. Square
brackets in general are *not* notes: drafts bracket text still under negotiation ("[13.
Geographical Limitations"), and that text is the draft's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from redline.domain.drafts.corrections import Correction, apply_corrections
from redline.domain.drafts.errors import DraftError
from redline.domain.drafts.paragraphs import COVER, HEADING, LTR, DraftParagraph, Note, WordExtras
from redline.domain.drafts.structure import ParsedProvision, build_from_paragraphs

__all__ = [
    "DraftError",
    "NotePlace",
    "ParsedDraft",
    "ParsedProvision",
    "parse_docx",
    "parse_draft",
    "read_draft",
    "restructure",
    "source_paragraphs",
]

_HEADER_LINE = re.compile(r"^#[ \t]*(?P<key>[a-z][a-z0-9_-]*)[ \t]*:[ \t]?(?P<value>.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOTE_BODY = r"\[[^\[\]]*\b(?:excerpt|not retrieved)\b[^\[\]]*\]"
_WHOLE_NOTE = re.compile(rf"^{_NOTE_BODY}$", re.IGNORECASE)
_NOTE_MARKER = re.compile(r"\[\^([^\[\]\s]{1,20})\]")  # a footnote's place: "[^1]"
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")


@dataclass(frozen=True)
class NotePlace:
    """Where an editorial note stood: after `after` source paragraphs of the provisions.

    `joiner` is None for a note that was a paragraph of its own; otherwise the note ended the
    paragraph before it, separated from its text by `joiner` (usually one space).
    """

    after: int
    joiner: str | None = None


@dataclass(frozen=True)
class ParsedDraft:
    meta: dict[str, str]
    provisions: tuple[ParsedProvision, ...]
    notes: tuple[str, ...] = ()
    note_places: tuple[NotePlace, ...] = field(default=())
    word: WordExtras | None = None  # what a Word file brought besides paragraphs
    # What the reader handed to `build_from_paragraphs` (editorial notes taken out), so the
    # secretariat's corrections can rebuild the provisions; empty if a reader did not say.
    paragraphs: tuple[DraftParagraph, ...] = ()
    breaks: frozenset[int] = frozenset()
    corrections: tuple[Correction, ...] = ()  # applied by `restructure`

    @property
    def title(self) -> str:
        return self.meta.get("title", "")


def source_paragraphs(parsed: ParsedDraft) -> list[str]:
    """The draft's paragraphs in their original order, editorial notes included."""
    paragraphs = [p for provision in parsed.provisions for p in provision.source_paragraphs()]
    for note, place in zip(parsed.notes, parsed.note_places, strict=True):
        if place.joiner is not None:
            paragraphs[place.after - 1] += place.joiner + note
    placed = zip(parsed.notes, parsed.note_places, strict=True)
    own = [(note, place) for note, place in placed if place.joiner is None]
    for note, place in reversed(own):  # inserting from the back keeps earlier indexes valid
        paragraphs.insert(place.after, note)
    return paragraphs


def parse_draft(text: str) -> ParsedDraft:
    """Parse a plain-text or Markdown draft (already decoded)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text.split("\n"), "line")
    lines = text.split("\n")
    meta, start = _read_header(lines)
    return _parse_paragraphs([DraftParagraph(b) for b in _blocks(lines[start:])], meta)


def parse_docx(data: bytes, tracked_changes: str = "accept") -> ParsedDraft:
    """Parse a Word draft as Word shows it (see `redline.domain.drafts.word.reading`): automatic
    numbers, fields, content controls and tracked changes resolved as chosen; notes, comments,
    tracked-change counts and what could not be carried come back in `ParsedDraft.word`."""
    # Imported here so plain-text imports do not pay for loading lxml.
    from redline.domain.drafts.word.reading import read_word_file

    paragraphs, extras, title = read_word_file(data, tracked_changes)
    _check_controls([p.text for p in paragraphs], "paragraph")
    meta = {"title": title} if title else {}
    # A file Redline exported opens with its cover block (title, what the file shows): the
    # instrument's furniture, not its text. It goes to the meta, where the preview shows it.
    while paragraphs and paragraphs[0].hint == COVER:
        cover = paragraphs.pop(0)
        key = "title" if "title" not in meta else "subtitle"
        meta.setdefault(key, cover.text)
    return _parse_paragraphs(paragraphs, meta, word=extras)


def read_draft(filename: str, data: bytes, tracked_changes: str = "accept") -> ParsedDraft:
    """Parse an uploaded draft, choosing the reader by the file name's extension.

    `tracked_changes` says which text of a Word file holding tracked changes to read: "accept"
    (what Word shows with No Markup) or "reject" (the original)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return parse_draft(_decode(data))
    if suffix == ".docx":
        return parse_docx(data, tracked_changes)
    if suffix == ".doc":
        raise DraftError(
            "Old Word .doc files cannot be read: save the draft as .docx and upload it again."
        )
    raise DraftError(
        f"Unsupported file type {suffix or '(no extension)'!s}: "
        "upload the draft as .txt, .md or .docx."
    )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with a BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            message = f"The file is not valid UTF-16 text (byte offset {exc.start})."
            raise DraftError(message) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DraftError(
            f"The file is not valid UTF-8 text: byte 0x{data[exc.start]:02X} at byte offset "
            f"{exc.start} (line {line}) cannot be decoded. Save the draft as UTF-8 text "
            "(in Word: Save As, Plain Text, Unicode (UTF-8)) and upload it again."
        ) from exc


def _check_controls(pieces: Sequence[str], unit: str) -> None:
    """Reject control characters: they are invisible, break exports and usually mean a binary
    file or a bad conversion was uploaded as text."""
    for number, piece in enumerate(pieces, start=1):
        found = _CONTROL.search(piece)
        if found:
            where = (
                f"{unit} {number}, column {found.start() + 1}"
                if unit == "line"
                else f"{unit} {number}"
            )
            raise DraftError(
                f"The draft contains a control character (U+{ord(found.group()):04X}) at {where}. "
                "Remove it, or check that the right file was uploaded."
            )


def _read_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The `# key: value` lines at the very top; returns them and where the text starts."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    meta: dict[str, str] = {}
    while start < len(lines):
        match = _HEADER_LINE.match(lines[start])
        if not match:
            break
        meta.setdefault(match["key"], match["value"].strip())
        start += 1
    return meta, start


def _blocks(lines: Sequence[str]) -> Iterator[str]:
    """Paragraphs: runs of non-blank lines. Trailing spaces are dropped (never meaningful)."""
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield "\n".join(block)
            block = []


def _trailing_note(paragraph: str) -> tuple[int, str] | None:
    """Where an editorial note ending `paragraph` starts, and the whitespace before it.

    Found from the end with plain string search: a note holds no brackets, so only the last
    "[" can open it. (A regular expression searched from every space of the paragraph took
    quadratic time on a long run of spaces.)"""
    if not paragraph.endswith("]"):
        return None
    start = paragraph.rfind("[")
    if start <= 0 or not _WHOLE_NOTE.match(paragraph[start:]):
        return None
    before = paragraph[:start]
    joiner = before[len(before.rstrip()) :]
    return (start, joiner) if joiner and before.strip() else None


def _parse_paragraphs(
    paragraphs: Sequence[DraftParagraph], meta: dict[str, str], word: WordExtras | None = None
) -> ParsedDraft:
    kept: list[DraftParagraph] = []
    notes: list[str] = []
    places: list[NotePlace] = []
    breaks: set[int] = set()
    for paragraph in paragraphs:
        if _WHOLE_NOTE.match(paragraph.text.strip()):
            notes.append(paragraph.text)
            places.append(NotePlace(after=len(kept)))
            breaks.add(len(kept))  # what follows a gap in the source starts afresh
            continue
        trailing = _trailing_note(paragraph.text)
        if trailing:
            start, joiner = trailing
            notes.append(paragraph.text[start:])
            places.append(NotePlace(after=len(kept) + 1, joiner=joiner))
            paragraph = replace(paragraph, text=paragraph.text[: start - len(joiner)])
        kept.append(paragraph)
    if not kept:
        raise DraftError("The draft is empty: there is no text after the header lines.")
    provisions = build_from_paragraphs(kept, breaks=frozenset(breaks))
    return ParsedDraft(
        meta=meta,
        provisions=tuple(provisions),
        notes=tuple(notes),
        note_places=tuple(places),
        word=word,
        paragraphs=tuple(kept),
        breaks=frozenset(breaks),
    )


def draft_paragraphs(draft: ParsedDraft) -> tuple[DraftParagraph, ...]:
    """The paragraphs the provisions were built from, in order.

    A reader that did not keep them in `ParsedDraft.paragraphs` gets them rebuilt from the
    provisions: every heading paragraph is hinted HEADING (so it still opens its provision),
    each note goes with the paragraph holding its marker, and the direction is the
    provision's."""
    if draft.paragraphs:
        return draft.paragraphs
    out: list[DraftParagraph] = []
    for provision in draft.provisions:
        sources = provision.source_paragraphs()
        heads = (
            0
            if provision.run_in or not provision.heading_source
            else len(provision.heading_source.split("\n\n"))
        )
        markers: dict[str, int] = {}
        for k, text in enumerate(sources):
            for marker in _NOTE_MARKER.findall(text):
                markers.setdefault(marker, k)
        where: dict[int, list[Note]] = {}
        for note in provision.notes:
            # A marker not found stays with the provision's first paragraph.
            where.setdefault(markers.get(note.marker, 0), []).append(note)
        for k, text in enumerate(sources):
            mine = where.get(k, [])
            first = k == 0 and (provision.run_in or bool(provision.heading_source))
            hint = HEADING if first or k < heads else ""
            out.append(
                DraftParagraph(
                    text, hint=hint, direction=provision.direction or LTR, notes=tuple(mine)
                )
            )
    return tuple(out)


def restructure(draft: ParsedDraft, corrections: Sequence[Correction]) -> ParsedDraft:
    """The draft with the secretariat's corrections to its split applied (none: unchanged)."""
    if not corrections:
        return draft
    paragraphs = draft_paragraphs(draft)
    fixed, breaks, splits, opens = apply_corrections(paragraphs, draft.breaks, corrections)
    provisions = build_from_paragraphs(fixed, breaks=breaks, splits=splits, opens=opens)
    return replace(
        draft, provisions=tuple(provisions), paragraphs=paragraphs, corrections=tuple(corrections)
    )
