"""The secretariat's corrections to the split: a pure function over the reader's paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.drafts.corrections import (
    ACTIONS,
    Correction,
    CorrectionError,
    describe,
    format_corrections,
    normalise,
    parse_corrections,
)
from redline.domain.drafts.paragraphs import DraftParagraph, Note
from redline.domain.drafts.reading import (
    ParsedDraft,
    draft_paragraphs,
    parse_draft,
    read_draft,
    restructure,
    source_paragraphs,
)

TEXT = "\n\n".join(
    [
        "Article 1 – Purpose",  # 0
        "The purpose is stated.",  # 1
        "Article 2 – Scope",  # 2
        "It applies to all.",  # 3
        "Terms used below",  # 4  a heading the importer missed
        "Terms mean what they say.",  # 5
        "Article 3 – Final",  # 6
        "It enters into force.",  # 7
    ]
)


def outline(draft: ParsedDraft) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.number, p.heading, p.paragraphs) for p in draft.provisions]


def fixed(*items: str) -> ParsedDraft:
    draft = parse_draft(TEXT)
    return restructure(draft, parse_corrections(" ".join(items), len(draft_paragraphs(draft))))


def test_no_corrections_change_nothing():
    draft = parse_draft(TEXT)
    assert restructure(draft, ()) is draft
    assert [p.number for p in draft.provisions] == ["Article 1", "Article 2", "Article 3"]


def test_mark_as_heading_opens_a_provision():
    draft = fixed("heading:4")
    assert outline(draft)[2] == ("", "Terms used below", ("Terms mean what they say.",))
    assert [p.number for p in draft.provisions] == ["Article 1", "Article 2", "", "Article 3"]


def test_split_starts_an_untitled_provision_of_the_same_kind():
    draft = fixed("split:5")
    assert outline(draft)[1:3] == [
        ("Article 2", "Scope", ("It applies to all.", "Terms used below")),
        ("", "", ("Terms mean what they say.",)),
    ]
    assert draft.provisions[2].kind == "article"


def test_join_merges_a_provision_into_the_previous_one():
    draft = fixed("join:2")
    assert outline(draft)[0] == (
        "Article 1",
        "Purpose",
        (
            "The purpose is stated.",
            "Article 2 – Scope",
            "It applies to all.",
            "Terms used below",
            "Terms mean what they say.",
        ),
    )
    # Joining Article 2 does not turn Article 3 into text: the sequence goes on.
    assert [p.number for p in draft.provisions] == ["Article 1", "Article 3"]


def test_mark_as_text_keeps_the_paragraph_in_place_as_text():
    draft = fixed("text:6")
    assert [p.number for p in draft.provisions] == ["Article 1", "Article 2"]
    assert draft.provisions[-1].paragraphs[-2:] == ("Article 3 – Final", "It enters into force.")


def test_joining_a_numbered_section_keeps_the_later_ones():
    text = "1. Definitions\n\nA.\n\n2. Scope\n\nB.\n\n3. Licence\n\nC.\n\n4. Notices\n\nD."
    draft = parse_draft(text)
    joined = restructure(draft, [Correction("join", 2)])
    assert [p.number for p in joined.provisions] == ["1", "3", "4"]


def test_a_later_correction_of_the_same_paragraph_wins():
    assert parse_corrections("split:5 heading:4 text:5", 8) == (
        Correction("heading", 4),
        Correction("text", 5),
    )
    assert format_corrections(parse_corrections("text:5 heading:4", 8)) == "heading:4 text:5"


def test_every_paragraph_is_kept_once_and_in_order_whatever_the_corrections():
    draft = parse_draft(TEXT)
    for action in ACTIONS:
        for i in range(1, 8):
            corrected = restructure(draft, [Correction(action, i)])
            rebuilt = [p for prov in corrected.provisions for p in prov.source_paragraphs()]
            assert rebuilt == TEXT.split("\n\n"), (action, i)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(1, 7)), max_size=8))
def test_any_corrections_keep_the_text(items):
    draft = parse_draft(TEXT)
    corrected = restructure(draft, [Correction(a, i) for a, i in items])
    rebuilt = [p for prov in corrected.provisions for p in prov.source_paragraphs()]
    assert rebuilt == TEXT.split("\n\n")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("split:99", "paragraph 100"),
        ("split:0", "first paragraph"),
        ("join:0", "first paragraph"),
        ("merge:3", "damaged"),
        ("split:-1", "damaged"),
        ("split:3;drop", "damaged"),
        ("heading:12345678", "damaged"),
        ("split:1 " * 501, "More than 500"),
        ("x" * 9000, "Too many"),
    ],
)
def test_tampered_corrections_are_refused(raw, message):
    with pytest.raises(CorrectionError, match=message):
        parse_corrections(raw, 8)


def test_corrections_described_in_words_for_the_audit_trail():
    paragraphs = TEXT.split("\n\n")
    assert describe([Correction("split", 5), Correction("heading", 4)], paragraphs) == [
        "marked paragraph 5 as a heading (“Terms used below”)",
        "split before paragraph 6 (“Terms mean what they say.”)",
    ]


def test_a_reader_that_kept_no_paragraphs_is_corrected_from_its_provisions():
    note = Note("1", "A note.")
    draft = parse_draft(TEXT)
    bare = ParsedDraft(meta={}, provisions=draft.provisions)
    assert [p.text for p in draft_paragraphs(bare)] == TEXT.split("\n\n")
    assert outline(restructure(bare, [Correction("heading", 4)])) == outline(fixed("heading:4"))
    with_note = ParsedDraft(
        meta={},
        provisions=tuple(
            p if p.number != "Article 2" else p.__class__(**{**p.__dict__, "notes": (note,)})
            for p in draft.provisions
        ),
    )
    corrected = restructure(with_note, [Correction("heading", 4)])
    assert [p.notes for p in corrected.provisions] == [(), (note,), (), ()]
    assert isinstance(draft_paragraphs(bare)[0], DraftParagraph)


DEMO = sorted((Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts").glob("*.txt"))


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.name)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_corrections_to_real_drafts_keep_every_paragraph(path, data):
    draft = read_draft(path.name, path.read_bytes())
    paragraphs = [p.text for p in draft_paragraphs(draft)]
    count = len(paragraphs)
    if count < 2:
        return  # a one-paragraph fragment: nothing to split or join
    items = data.draw(
        st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(1, count - 1)), max_size=6)
    )
    corrected = restructure(draft, [Correction(a, i) for a, i in items])
    assert source_paragraphs(corrected) == source_paragraphs(draft)
    starts = _starts(corrected)
    for c in normalise([Correction(a, i) for a, i in items]):
        action, index = c.action, c.paragraph
        if action in ("split", "heading"):
            assert index in starts, (action, index)
        elif action == "join":
            assert index not in starts, (action, index)


def _starts(draft: ParsedDraft) -> set[int]:
    at, out = 0, set()
    for provision in draft.provisions:
        out.add(at)
        at += len(provision.source_paragraphs())
    return out
