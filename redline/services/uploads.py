"""An uploaded draft: read it as the secretariat chose (tracked changes accepted or rejected),
apply their corrections to its split, and check it against the limits before anything is
planned or stored. Every problem becomes a clear BadInput/TooLarge."""

from __future__ import annotations

from redline.domain.drafts.corrections import CorrectionError, describe, parse_corrections
from redline.domain.drafts.errors import DraftError
from redline.domain.drafts.reading import ParsedDraft, draft_paragraphs, read_draft, restructure
from redline.domain.text.validation import TextError, clean_text
from redline.services.errors import BadInput, TooLarge
from redline.services.versions import MAX_HEADING, MAX_NUMBER

TRACKED_CHOICES = ("accept", "reject")


def parse_upload(
    filename: str,
    data: bytes,
    max_chars: int,
    *,
    tracked_changes: str = "accept",
    corrections: str = "",
) -> ParsedDraft:
    """Read a .txt, .md or .docx draft; every problem becomes a clear BadInput/TooLarge.

    `tracked_changes` chooses the text of a Word file holding tracked changes ("accept": as
    Word shows it with No Markup; "reject": the original). `corrections` are the preview's
    corrections to the split, as the form carries them ("split:12 heading:30")."""
    return correct_draft(read_upload(filename, data, tracked_changes), corrections, max_chars)


def read_upload(filename: str, data: bytes, tracked_changes: str = "accept") -> ParsedDraft:
    """The draft as the importer splits it, not yet checked against the limits."""
    if tracked_changes not in TRACKED_CHOICES:
        raise BadInput("Tracked changes must be either accepted or rejected.")
    try:
        return read_draft(filename, data, tracked_changes)
    except DraftError as e:
        raise BadInput(str(e)) from None


def correct_draft(draft: ParsedDraft, corrections: str, max_chars: int) -> ParsedDraft:
    """The draft with the corrections to its split applied, checked against the limits."""
    if corrections.strip():
        try:
            fixes = parse_corrections(corrections, len(draft_paragraphs(draft)))
        except CorrectionError as e:
            raise BadInput(str(e)) from None
        draft = restructure(draft, fixes)
    if not draft.provisions:
        raise BadInput("No text found in the draft.")
    for p in draft.provisions:
        name = p.number or p.heading[:60] or "a provision"
        try:
            clean_text(p.text, max_chars, f"The text of {name}")
        except TextError as e:
            raise (TooLarge if e.too_large else BadInput)(str(e)) from None
        # The same limits as the editor's: a heading the parser took from a long line must
        # not overflow its column (PostgreSQL refuses it, SQLite would silently keep it).
        if len(p.number) > MAX_NUMBER:
            raise BadInput(
                f"The number '{p.number[:60]}...' is longer than {MAX_NUMBER} characters."
            )
        if len(p.heading) > MAX_HEADING:
            raise BadInput(
                f"The heading of {name} has {len(p.heading)} characters; the limit is "
                f"{MAX_HEADING}. Is a paragraph of text being read as a heading?"
            )
    return draft


def corrections_in_words(draft: ParsedDraft) -> list[str]:
    """The secretariat's corrections to the split of `draft`, for people."""
    return describe(draft.corrections, [p.text for p in draft_paragraphs(draft)])


def read_file(path: str, max_chars: int, tracked_changes: str = "accept") -> ParsedDraft:
    """A draft from disk (the CLI)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise BadInput(f"Cannot read {path}: {e.strerror}.") from None
    return parse_upload(path, data, max_chars, tracked_changes=tracked_changes)
