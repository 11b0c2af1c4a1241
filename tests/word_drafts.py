"""Drafts with footnotes, direction and Word extras, built by hand as a Word reader returns
them (`redline.domain.drafts.paragraphs`), for the storage, page, API and export tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from redline.domain.drafts.paragraphs import (
    ENDNOTE,
    RTL,
    DraftComment,
    Note,
    TrackedChanges,
    WordExtras,
)
from redline.domain.drafts.reading import ParsedDraft, ParsedProvision
from redline.services import imports, meetings

ART1 = ParsedProvision(
    kind="article",
    number="Article 1",
    heading="Purpose",
    text="The purpose of this Protocol is to supplement the Convention.[^1]\n\n"
    "Each Party shall apply it.[^2]",
    paragraphs=(
        "The purpose of this Protocol is to supplement the Convention.[^1]",
        "Each Party shall apply it.[^2]",
    ),
    heading_source="Article 1 – Purpose",
    notes=(Note("1", "ETS No. 185."), Note("2", "See the explanatory report.")),
)
ART2 = ParsedProvision(
    kind="article",
    number="Article 2",
    heading="Scope",
    text="This Protocol applies to specific investigations.[^a]",
    paragraphs=("This Protocol applies to specific investigations.[^a]",),
    heading_source="Article 2 – Scope",
    notes=(Note("a", "Including proceedings.", ENDNOTE),),
)
ART3 = ParsedProvision(
    kind="article",
    number="Article 3",
    heading="Arabic text",
    text="تطبق كل دولة طرف هذا البروتوكول.",
    paragraphs=("تطبق كل دولة طرف هذا البروتوكول.",),
    heading_source="Article 3 – Arabic text",
    direction=RTL,
)


def word_draft(provisions=(ART1, ART2, ART3), **extras) -> ParsedDraft:
    return ParsedDraft(meta={}, provisions=tuple(provisions), word=WordExtras(**extras))


def comment(exact: str, paragraph: int, body: str = "Check this.", author: str = "Ana Civil"):
    return DraftComment(
        author=author, date="2021-05-20T10:00:00Z", body=body, exact=exact, paragraph=paragraph
    )


def import_draft(session, draft: ParsedDraft, title: str, on: str, actor=None, slug="notes"):
    result = imports.apply_import(
        session,
        instrument=meetings.instrument_by_slug(session, slug),
        slug=slug,
        title="Protocol with notes",
        meeting_title=title,
        on=date.fromisoformat(on),
        kind="plenary",
        draft=draft,
        actor=actor,
    )
    session.flush()
    return result


__all__ = [
    "ART1",
    "ART2",
    "ART3",
    "TrackedChanges",
    "comment",
    "import_draft",
    "replace",
    "word_draft",
]
