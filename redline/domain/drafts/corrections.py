"""The secretariat's corrections to how an imported draft was split into provisions.

The importer guesses which paragraphs open a provision; where it guesses wrong, the preview
lets the secretariat correct it, paragraph by paragraph:
- **split** a provision at a paragraph: a new, untitled provision starts there;
- **join** a paragraph into the previous provision: the provision it opened is merged back;
- mark a paragraph as a **heading**: it opens a provision, its text being the heading;
- mark a paragraph as **text**: it is never read as a heading.

Corrections name paragraphs by their index in the reader's paragraph sequence, so they travel
in the preview form as a short string ("split:12 heading:30") and the preview stays stateless.
Applying them is a pure function: the same file and the same corrections give the same draft.
A later correction of the same paragraph replaces an earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from redline.domain.drafts.paragraphs import HEADING, DraftParagraph
from redline.domain.drafts.structure import TEXT

SPLIT, JOIN, AS_HEADING, AS_TEXT = "split", "join", "heading", "text"
ACTIONS = (SPLIT, JOIN, AS_HEADING, AS_TEXT)
MAX_CORRECTIONS = 500  # more than any real correction of one draft; bounds the form field
MAX_FIELD = MAX_CORRECTIONS * 16
_ITEM = re.compile(r"(split|join|heading|text):(\d{1,7})")

_DESCRIPTIONS = {
    SPLIT: "split before paragraph {n}",
    JOIN: "joined paragraph {n} into the previous provision",
    AS_HEADING: "marked paragraph {n} as a heading",
    AS_TEXT: "marked paragraph {n} as text",
}


class CorrectionError(ValueError):
    """The corrections sent with the preview are not ones the preview could have made."""


@dataclass(frozen=True)
class Correction:
    action: str  # SPLIT | JOIN | AS_HEADING | AS_TEXT
    paragraph: int  # index in the reader's paragraph sequence

    def __str__(self) -> str:
        return f"{self.action}:{self.paragraph}"


def parse_corrections(raw: str, count: int) -> tuple[Correction, ...]:
    """Read the form field; refuse anything the preview would not have written.

    `count` is the number of paragraphs in the draft. Raises CorrectionError with a message
    for the person who sent the form."""
    if len(raw) > MAX_FIELD:
        raise CorrectionError("Too many corrections: start again from the upload.")
    items = raw.split()
    if len(items) > MAX_CORRECTIONS:
        raise CorrectionError(
            f"More than {MAX_CORRECTIONS} corrections: start again from the upload."
        )
    out: list[Correction] = []
    for item in items:
        match = _ITEM.fullmatch(item)
        if not match:
            raise CorrectionError(
                "The corrections to the split were damaged; start again from the upload."
            )
        index = int(match[2])
        if index >= count:
            raise CorrectionError(
                f"A correction names paragraph {index + 1}, but the draft has {count}."
            )
        if match[1] in (SPLIT, JOIN) and index == 0:
            raise CorrectionError("The first paragraph cannot be split off or joined.")
        out.append(Correction(match[1], index))
    return normalise(out)


def normalise(corrections: Sequence[Correction]) -> tuple[Correction, ...]:
    """One correction per paragraph (the latest wins), in paragraph order."""
    latest: dict[int, Correction] = {}
    for correction in corrections:
        latest[correction.paragraph] = correction
    return tuple(latest[i] for i in sorted(latest))


def format_corrections(corrections: Sequence[Correction]) -> str:
    """The form field's value: the inverse of `parse_corrections`."""
    return " ".join(str(c) for c in normalise(corrections))


def apply_corrections(
    paragraphs: Sequence[DraftParagraph],
    breaks: frozenset[int],
    corrections: Sequence[Correction],
) -> tuple[list[DraftParagraph], frozenset[int], frozenset[int], frozenset[int]]:
    """The paragraphs with their hints corrected, the breaks, the splits and the headings.

    Returns (paragraphs, breaks, splits, opens): `splits` are the paragraphs where the
    secretariat started a new provision, `opens` those it marked as headings (they open a
    provision whatever the importer would have read)."""
    out = list(paragraphs)
    gaps = set(breaks)
    splits: set[int] = set()
    opens: set[int] = set()
    for c in normalise(corrections):
        if c.paragraph >= len(out):
            raise CorrectionError(
                f"A correction names paragraph {c.paragraph + 1}, but the draft has {len(out)}."
            )
        p = out[c.paragraph]
        if c.action == AS_HEADING:
            out[c.paragraph] = replace(p, hint=HEADING)
            opens.add(c.paragraph)
        elif c.action in (AS_TEXT, JOIN):
            out[c.paragraph] = replace(p, hint=TEXT)
            if c.action == JOIN:
                gaps.discard(c.paragraph)
        elif c.action == SPLIT:
            splits.add(c.paragraph)
    return out, frozenset(gaps), frozenset(splits), frozenset(opens)


def describe(corrections: Sequence[Correction], paragraphs: Sequence[str] = ()) -> list[str]:
    """Each correction in words, for the preview and the audit trail: "split before
    paragraph 12 (“Each Party shall…”)". Paragraphs are numbered from 1 for people."""
    out = []
    for c in normalise(corrections):
        text = _DESCRIPTIONS[c.action].format(n=c.paragraph + 1)
        if c.paragraph < len(paragraphs):
            quote = " ".join(paragraphs[c.paragraph].split())
            quote = quote if len(quote) <= 40 else quote[:39].rstrip() + "…"
            text += f" (“{quote}”)"
        out.append(text)
    return out
