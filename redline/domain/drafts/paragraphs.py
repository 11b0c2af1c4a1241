"""What a draft reader hands on: paragraphs as the reader saw them, and what came with them.

Every reader (plain text, Markdown, Word) turns a file into a sequence of `DraftParagraph`s;
`redline.domain.drafts.structure` groups them into provisions. A Word file also brings things
that are not paragraphs of text: footnotes and endnotes, tracked changes, Word comments, and
content we cannot carry (images, text boxes, equations...). They travel in `WordExtras` so the
import can say what it did with each of them; nothing is dropped without a word.

Conventions, fixed here so that reader, structure, storage, pages and export agree:
- A note's marker stands in the text where Word shows the reference, written `[^m]` (the
  Markdown footnote form), where `m` is the marker Word shows ("1", "2", "i", or a custom mark).
  The note's own text is kept in the provision's `notes`, in order of their markers.
- A table is one paragraph per row, its cells separated by a tab ("\\t"); a newline inside a cell
  becomes a space. Rows are hinted CELL so they never become headings.
- `direction` is "rtl" for a paragraph Word marks `w:bidi`, otherwise "ltr".
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADING, CELL = "heading", "cell"  # hints from Word: a heading style; a table row
# The cover block of a file Redline exported (its "Redline Title"/"Redline Subtitle" styles):
# the instrument's title and what the file shows, kept in the draft's meta, not in provisions.
COVER = "cover"
COVER_STYLES = {"RedlineTitle": "title", "RedlineSubtitle": "subtitle"}
LTR, RTL = "ltr", "rtl"
FOOTNOTE, ENDNOTE = "footnote", "endnote"


@dataclass(frozen=True)
class Note:
    """A footnote or endnote: the marker shown in the text (`[^marker]`) and the note's text."""

    marker: str
    text: str
    kind: str = FOOTNOTE  # FOOTNOTE | ENDNOTE


@dataclass(frozen=True)
class DraftParagraph:
    """One paragraph as the reader (Word, or a text file) shows it.

    `hint`: HEADING for a paragraph styled as a heading (style or outline level) in Word, CELL
    for a table row, "" otherwise. `outline_level` is Word's outline level (0 = top) where one
    was given by the paragraph or its style, else None. `notes` are the notes whose markers
    stand in `text`, in order.
    """

    text: str
    hint: str = ""
    outline_level: int | None = None
    direction: str = LTR
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class DraftComment:
    """A comment found in a Word file: who wrote it, when, and the passage it was attached to.

    `paragraph` is the index (in the reader's paragraph sequence) of the paragraph where the
    commented passage starts; `exact` is the passage's text as stored (after tracked changes
    were resolved), "" when the passage is gone.
    """

    author: str
    date: str  # ISO 8601 as written in the file, or ""
    body: str
    exact: str
    paragraph: int


@dataclass(frozen=True)
class TrackedChanges:
    """The tracked changes a Word file holds, counted before they were resolved."""

    insertions: int = 0
    deletions: int = 0
    moves: int = 0
    comments: int = 0
    authors: tuple[str, ...] = ()
    resolved: str | None = None  # "accept" | "reject" | None when the file held none

    @property
    def any_changes(self) -> bool:
        return bool(self.insertions or self.deletions or self.moves)


@dataclass(frozen=True)
class WordExtras:
    """Everything a Word file brought besides its paragraphs."""

    language: str = ""  # the document's default w:lang, e.g. "en-GB", "fr-FR"
    tracked: TrackedChanges = field(default_factory=TrackedChanges)
    comments: tuple[DraftComment, ...] = ()
    not_carried: dict[str, int] = field(default_factory=dict)  # e.g. {"images": 2}
