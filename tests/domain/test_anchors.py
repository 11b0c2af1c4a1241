"""Tests for redline.domain.text.anchors: comments follow their passage from version to version.

Tables of cases (a pure function tested with tables) run on both diff backends (the C++
fast-diff-match-patch and the pure-Python diff-match-patch), then real GPLv3 drafts, then
Hypothesis properties. Offsets are Python code points throughout.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.text import anchors, diff
from redline.domain.text.anchors import (
    AnchorError,
    Placement,
    Quote,
    quote_for,
    relocate,
    relocate_many,
)


@pytest.fixture(params=["fast", "pure"])
def backend(request, monkeypatch):
    """Run a test with the C++ diff and again with the pure-Python fallback."""
    anchors._mapping.cache_clear()
    if request.param == "pure":
        monkeypatch.setattr(diff, "_fast", None)
    yield request.param
    anchors._mapping.cache_clear()


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th (0-based) ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def quote_on(text: str, needle: str, occurrence: int = 0) -> Quote:
    return quote_for(text, *span(text, needle, occurrence))


def assert_sound(placement: Placement, quote: Quote, target: str) -> None:
    """What every placement promises, whatever the edit."""
    assert placement.status in {"anchored", "changed", "orphaned"}
    if placement.status == "orphaned":
        assert placement.start is None and placement.end is None
        assert placement.exact_in(target) is None
        return
    assert placement.start is not None and placement.end is not None
    assert 0 <= placement.start < placement.end <= len(target)
    if placement.status == "anchored":
        assert target[placement.start : placement.end] == quote.exact


# --- quote_for ------------------------------------------------------------------------------

TRAP = "the Party shall ensure that the Party may"
_WORD = re.compile(r"\S+")


def test_quote_for_fills_the_selectors():
    assert quote_for(TRAP, 4, 9) == Quote(4, 9, "Party", "the ", " shall ensure that the Party may")
    assert quote_for(TRAP, 4, 9, exact="Party") == quote_for(TRAP, 4, 9)
    assert quote_for(TRAP, 0, len(TRAP)) == Quote(0, len(TRAP), TRAP, "", "")


def test_quote_for_keeps_32_characters_of_context_each_side():
    text = "x" * 40 + "PASSAGE" + "y" * 40
    quote = quote_for(text, 40, 47)
    assert (quote.exact, quote.prefix, quote.suffix) == ("PASSAGE", "x" * 32, "y" * 32)


def test_quote_for_counts_code_points():
    text = "Article 5 – Données 😀 personnelles"
    quote = quote_on(text, "😀 personnelles")
    assert (quote.start, quote.end) == (20, 34)
    assert quote.prefix == "Article 5 – Données "


@pytest.mark.parametrize(
    ("start", "end", "exact", "message"),
    [
        pytest.param(-1, 3, None, "starts before the beginning", id="negative"),
        pytest.param(9, 4, None, "ends before it starts", id="reversed"),
        pytest.param(4, 99, None, "ends after the end", id="beyond-length"),
        pytest.param(4, 4, None, "empty", id="empty"),
        pytest.param(4, 9, "party", "does not match", id="exact-mismatch"),
        pytest.param(4, 9, "Party ", "does not match", id="exact-longer"),
        pytest.param(1.0, 9, None, "whole numbers", id="float"),
        pytest.param(True, 9, None, "whole numbers", id="bool"),
        pytest.param("4", 9, None, "whole numbers", id="string"),
    ],
)
def test_quote_for_rejects_bad_selections(start, end, exact, message):
    with pytest.raises(AnchorError, match=message):
        quote_for(TRAP, start, end, exact)


def test_anchor_error_is_a_value_error():
    assert issubclass(AnchorError, ValueError)


# --- relocate: a table of edits -------------------------------------------------------------

ARTICLE = (
    "Article 1. Each Party shall adopt the measures necessary to establish jurisdiction. "
    "It shall notify the Secretary General of the Council of Europe of any declaration. "
    "Article 2. Each Party may reserve the right not to apply paragraph 1."
)
ARTICLE_MOVED = (
    "Article 1. Each Party shall adopt the measures necessary to establish jurisdiction. "
    "Article 2. Each Party may reserve the right not to apply paragraph 1. "
    "It shall notify the Secretary General of the Council of Europe of any declaration."
)
NOTIFY = "It shall notify the Secretary General of the Council of Europe of any declaration."
TWO = "Each Party shall adopt measures. Each Party shall ensure data protection."
OFFENCE = (
    "Each Party shall adopt such legislative measures as may be necessary to establish X as "
    "an offence."
)
FR = "Article 5 – Données personnelles 😀 : la Partie veille à ce que les données soient protégées."

# (original, (quoted passage, its occurrence), target, status, where it must land in the
# target as (text, occurrence) or None)
CASES = [
    pytest.param(TRAP, ("Party", 0), TRAP, "anchored", ("Party", 0), id="unchanged"),
    pytest.param(
        TRAP, ("Party", 1), "In any case, " + TRAP, "anchored", ("Party", 1), id="edit-before"
    ),
    pytest.param(
        TRAP, ("Party", 0), TRAP + " decide otherwise", "anchored", ("Party", 0), id="edit-after"
    ),
    pytest.param(
        TRAP,
        ("Party", 0),
        "the new Party, shall ensure that the Party may",
        "anchored",
        ("Party", 0),
        id="inserts-touching-both-edges-are-outside",
    ),
    pytest.param(
        TRAP,
        ("shall ensure that", 0),
        "the Party shall in all cases ensure that the Party may",
        "changed",
        ("shall in all cases ensure that", 0),
        id="edit-inside",
    ),
    pytest.param(
        TRAP,
        ("shall ensure", 0),
        "the Party shall  ensure that the Party may",
        "changed",
        ("shall  ensure", 0),
        id="whitespace-only-inside",
    ),
    pytest.param(
        TRAP,
        ("shall ensure", 0),
        "the Party shall\nensure that the Party may",
        "changed",
        ("shall\nensure", 0),
        id="line-break-inside",
    ),
    pytest.param(
        "Each Party shall adopt measures.",
        ("Each Party shall adopt measures.", 0),
        "Each Party shall adopt appropriate measures.",
        "changed",
        ("Each Party shall adopt appropriate measures.", 0),
        id="whole-text-edited",
    ),
    pytest.param(
        "The Party shall, where appropriate, notify the Secretary General.",
        ("where appropriate", 0),
        "The Party shall notify the Secretary General.",
        "orphaned",
        None,
        id="deleted",
    ),
    pytest.param(
        FR,
        ("la Partie veille à ce que", 0),
        FR.replace("la Partie veille à ce que", "l'État s'assure que"),
        "orphaned",
        None,
        id="rewritten-in-place",
    ),
    pytest.param(FR, ("la Partie", 0), "", "orphaned", None, id="everything-deleted"),
    # The same words elsewhere are another passage, never this one.
    pytest.param(
        TWO,
        ("Each Party shall", 0),
        "Each Party shall ensure data protection.",
        "orphaned",
        None,
        id="deleted-same-words-remain-elsewhere",
    ),
    pytest.param(
        TWO,
        ("Each Party shall adopt measures.", 0),
        "Each Party shall ensure data protection.",
        "orphaned",
        None,
        id="deleted-sentence-same-start-remains",
    ),
    pytest.param(
        TWO,
        ("Each Party shall", 1),
        "Each Party shall ensure data protection.",
        "anchored",
        ("Each Party shall", 0),
        id="the-other-one-kept-is-anchored",
    ),
    # The same-sentence repeat trap: a comment on the first "Party".
    pytest.param(
        TRAP,
        ("Party", 0),
        "the State shall ensure that the Party may",
        "orphaned",
        None,
        id="trap-replaced",
    ),
    pytest.param(
        TRAP,
        ("Party", 0),
        "it shall ensure that the Party may",
        "orphaned",
        None,
        id="trap-deleted",
    ),
    pytest.param(
        TRAP,
        ("Party", 0),
        "the shall ensure that the Party may",
        "orphaned",
        None,
        id="trap-word-deleted",
    ),
    pytest.param(
        TRAP,
        ("Party", 0),
        "the party shall ensure that the Party may",
        "changed",
        ("party", 0),
        id="trap-edited-exact-still-elsewhere",
    ),
    pytest.param(
        TRAP,
        ("Party", 0),
        "the Parties shall ensure that the Party may",
        "changed",
        ("Parties", 0),
        id="trap-inflected",
    ),
    pytest.param(
        TRAP,
        ("Party", 1),
        "it shall ensure that the Party may",
        "anchored",
        ("Party", 0),
        id="trap-second-one-untouched",
    ),
    # Look-alike copies inserted next to the passage do not capture it.
    pytest.param(
        TRAP,
        ("Party", 0),
        "the Party may and " + TRAP,
        "anchored",
        ("Party", 1),
        id="copy-inserted-before",
    ),
    pytest.param(
        OFFENCE,
        ("Each Party shall adopt", 0),
        OFFENCE.replace(" X ", " Y ") + " " + OFFENCE,
        "anchored",
        ("Each Party shall adopt", 1),
        id="near-copy-of-sentence-inserted-before",
    ),
    pytest.param(
        OFFENCE,
        ("X as an offence", 0),
        OFFENCE + " " + OFFENCE.replace(" X ", " Y "),
        "anchored",
        ("X as an offence", 0),
        id="near-copy-of-sentence-inserted-after",
    ),
    # Moved: found again, with its words and surroundings, as "changed" (never "anchored").
    pytest.param(ARTICLE, (NOTIFY, 0), ARTICLE_MOVED, "changed", (NOTIFY, 0), id="moved-sentence"),
    pytest.param(
        ARTICLE,
        ("Secretary General", 0),
        ARTICLE_MOVED,
        "changed",
        ("Secretary General", 0),
        id="moved-with-its-sentence",
    ),
    pytest.param(
        "The Party shall notify promptly the Secretary General.",
        ("promptly", 0),
        "The Party shall notify the Secretary General promptly.",
        "orphaned",
        None,
        id="short-word-moved-alone",
    ),
    # Unicode: offsets are code points.
    pytest.param(
        FR,
        ("Données personnelles", 0),
        "🇪🇺 " + FR,
        "anchored",
        ("Données personnelles", 0),
        id="unicode-flag-before",
    ),
    pytest.param(
        FR,
        ("la Partie veille", 0),
        FR.replace("Article 5 –", "Article 5 —"),
        "anchored",
        ("la Partie veille", 0),
        id="unicode-dash-changed-before",
    ),
    pytest.param(
        FR,
        ("😀 : la Partie", 0),
        FR.replace("personnelles", "personnelles 🙂"),
        "anchored",
        ("😀 : la Partie", 0),
        id="unicode-emoji-before",
    ),
    pytest.param(
        FR,
        ("Données personnelles", 0),
        FR.replace("Données", "Donnees"),
        "changed",
        ("Donnees personnelles", 0),
        id="unicode-accent-dropped-inside",
    ),
    pytest.param(
        FR,
        ("personnelles 😀 : la", 0),
        FR.replace("😀", "🎉"),
        "changed",
        ("personnelles 🎉 : la", 0),
        id="unicode-emoji-replaced-inside",
    ),
]


@pytest.mark.parametrize(("original", "quoted", "target", "status", "lands"), CASES)
def test_relocate(backend, original, quoted, target, status, lands):
    quote = quote_on(original, *quoted)
    placement = relocate(quote, original, target)
    assert_sound(placement, quote, target)
    expected = span(target, *lands) if lands else (None, None)
    assert (placement.status, placement.start, placement.end) == (status, *expected)


@pytest.mark.parametrize(("original", "quoted", "target", "status", "lands"), CASES)
def test_relocate_many_places_each_quote_as_relocate_does(original, quoted, target, status, lands):
    quotes = [quote_on(original, *quoted), quote_for(original, 0, 1), quote_for(original, 0, 9)]
    assert relocate_many(quotes, original, target) == [
        relocate(q, original, target) for q in quotes
    ]


def test_unchanged_text_keeps_every_offset():
    quotes = [quote_for(FR, i, j) for i in range(0, len(FR), 7) for j in (i + 1, len(FR))]
    assert relocate_many(quotes, FR, FR) == [Placement("anchored", q.start, q.end) for q in quotes]


def test_code_point_offsets_after_astral_characters():
    quote = quote_on(FR, "la Partie")
    added = "🇪🇺😀 "  # four code points (seven UTF-16 code units)
    placement = relocate(quote, FR, added + FR)
    assert len(added) == 4
    assert (placement.start, placement.end) == (quote.start + 4, quote.end + 4)


@pytest.mark.parametrize(
    "quote",
    [
        Quote(4, 9, "party", "the ", ""),  # exact does not match the text
        Quote(-1, 3, "", "", ""),
        Quote(4, 4, "", "", ""),
        Quote(30, 99, TRAP[30:], "", ""),
    ],
)
def test_relocate_rejects_a_quote_not_made_on_the_original(quote):
    with pytest.raises(AnchorError):
        relocate(quote, TRAP, TRAP + ".")


def test_relocate_many_diffs_each_pair_once(monkeypatch):
    anchors._mapping.cache_clear()
    calls = []
    real = anchors.blocks_of
    monkeypatch.setattr(anchors, "blocks_of", lambda *a, **k: calls.append(a) or real(*a, **k))
    text = " ".join(f"Each Party {i} shall ensure that the Party {i} may." for i in range(100))
    target = text.replace("shall", "must")
    quotes = [quote_for(text, i, i + 12) for i in range(0, len(text) - 12, 4)]
    assert len(quotes) >= 1000
    placements = relocate_many(quotes, text, target)
    assert len(calls) == 2  # the precise diff and the cleaned one, once for all quotes
    assert {p.status for p in placements} >= {"anchored", "changed"}
    for quote, placement in zip(quotes, placements, strict=True):
        assert_sound(placement, quote, target)
    assert relocate_many([], text, target) == []
    anchors._mapping.cache_clear()


# --- real data: GPLv3 Discussion Draft 1 (2006-01-16) -> GPLv3 final (2007-06-29) -----------
# Verbatim from redline/demo/texts (source: the GNU licences, verbatim copying permitted),
# pasted here so that the test depends on nothing outside this file.

DRAFT1_DEFINITIONS = (
    'A "licensed program" means any program or other work distributed under this License. '
    'The "Program" refers to any such program or work, and a "work based on the Program" '
    "means either the Program or any derivative work under copyright law: that is to say, a "
    "work containing the Program or a portion of it, either modified or unmodified. "
    'Throughout this License, the term "modification" includes, without limitation, '
    'translation and extension. A "covered work" means either the Program or any work based '
    'on the Program. Each licensee is addressed as "you".\n\n'
    'To "propagate" a work means doing anything with it that requires permission under '
    "applicable copyright law, other than executing it on a computer or making private "
    "modifications. This includes copying, distribution (with or without modification), "
    "sublicensing, and in some countries other activities as well."
)
FINAL_DEFINITIONS = (
    '"This License" refers to version 3 of the GNU General Public License.\n\n'
    '"Copyright" also means copyright-like laws that apply to other kinds of works, such as '
    "semiconductor masks.\n\n"
    '"The Program" refers to any copyrightable work licensed under this License. Each '
    'licensee is addressed as "you". "Licensees" and "recipients" may be individuals or '
    "organizations.\n\n"
    'To "modify" a work means to copy from or adapt all or part of the work in a fashion '
    "requiring copyright permission, other than the making of an exact copy. The resulting "
    'work is called a "modified version" of the earlier work or a work "based on" the '
    "earlier work.\n\n"
    'A "covered work" means either the unmodified Program or a work based on the Program.\n\n'
    'To "propagate" a work means to do anything with it that, without permission, would '
    "make you directly or secondarily liable for infringement under applicable copyright "
    "law, except executing it on a computer or modifying a private copy. Propagation "
    "includes copying, distribution (with or without modification), making available to the "
    "public, and in some countries other activities as well.\n\n"
    'To "convey" a work means any kind of propagation that enables other parties to make or '
    "receive copies. Mere interaction with a user through a computer network, with no "
    "transfer of a copy, is not conveying.\n\n"
    'An interactive user interface displays "Appropriate Legal Notices" to the extent that '
    "it includes a convenient and prominently visible feature that (1) displays an "
    "appropriate copyright notice, and (2) tells the user that there is no warranty for the "
    "work (except to the extent that warranties are provided), that licensees may convey "
    "the work under this License, and how to view a copy of this License. If the interface "
    "presents a list of user commands or options, such as a menu, a prominent item in the "
    "list meets this criterion."
)
DRAFT1_SOURCE_CODE = (
    'The "source code" for a work means the preferred form of the work for making '
    'modifications to it. "Object code" means any non-source version of a work.'
)
FINAL_SOURCE_CODE = (
    'The "source code" for a work means the preferred form of the work for making '
    'modifications to it. "Object code" means any non-source form of a work.'
)

GPL_CASES = [
    pytest.param('"covered work"', "anchored", '"covered work"', id="term-kept"),
    pytest.param(
        "executing it on a computer", "anchored", "executing it on a computer", id="phrase-kept"
    ),
    pytest.param(
        "in some countries other activities as well",
        "anchored",
        "in some countries other activities as well",
        id="phrase-kept-in-rewritten-sentence",
    ),
    pytest.param(
        'A "covered work" means either the Program or any work based on the Program.',
        "changed",
        'A "covered work" means either the unmodified Program or a work based on the Program.',
        id="definition-amended",
    ),
    pytest.param(
        "This includes copying, distribution (with or without modification), sublicensing, "
        "and in some countries other activities as well.",
        "changed",
        "Propagation includes copying, distribution (with or without modification), making "
        "available to the public, and in some countries other activities as well.",
        id="sentence-amended",
    ),
    pytest.param("translation and extension", "orphaned", None, id="phrase-dropped"),
    pytest.param("licensed program", "orphaned", None, id="term-dropped"),
    pytest.param("copyright law", "orphaned", None, id="not-the-other-copyright-law"),
]


@pytest.mark.parametrize(("passage", "status", "lands"), GPL_CASES)
def test_gplv3_draft1_definitions_to_final(backend, passage, status, lands):
    quote = quote_on(DRAFT1_DEFINITIONS, passage)
    placement = relocate(quote, DRAFT1_DEFINITIONS, FINAL_DEFINITIONS)
    assert_sound(placement, quote, FINAL_DEFINITIONS)
    assert (placement.status, placement.exact_in(FINAL_DEFINITIONS)) == (status, lands)


def test_gplv3_object_code_definition_amended(backend):
    quote = quote_on(DRAFT1_SOURCE_CODE, '"Object code" means any non-source version of a work.')
    placement = relocate(quote, DRAFT1_SOURCE_CODE, FINAL_SOURCE_CODE)
    assert placement.status == "changed"
    assert placement.exact_in(FINAL_SOURCE_CODE) == (
        '"Object code" means any non-source form of a work.'
    )


def test_gplv3_every_word_of_the_draft_gets_a_sound_placement():
    words = [
        quote_for(DRAFT1_DEFINITIONS, m.start(), m.end())
        for m in _WORD.finditer(DRAFT1_DEFINITIONS)
    ]
    placements = relocate_many(words, DRAFT1_DEFINITIONS, FINAL_DEFINITIONS)
    for quote, placement in zip(words, placements, strict=True):
        assert_sound(placement, quote, FINAL_DEFINITIONS)
    assert {p.status for p in placements} == {"anchored", "changed", "orphaned"}


# --- properties ------------------------------------------------------------------------------
# Which of two identical copies is "the original" is undecidable from the texts alone ("the
# the" -> "the the the"; or a passage deleted on one side and the same words inserted on the
# other, which is also a move). The generators therefore keep the passage identifiable: it
# sits between two markers « » that no edit touches, its words (PASSAGE) are not reused by the
# surrounding text except as whole copies of the passage, and inserted text uses its own words
# (NEW) plus copies of the passage. Within that, a look-alike copy is truly another passage.

PASSAGE = ["Party", "shall", "é", "–", "😀"]
AROUND = ["the", "may", "ensure", "that", "data", "a"]
NEW = ["State", "must", "ü", "7", "Article"]
PROPERTY = settings(deadline=None, max_examples=150)


@st.composite
def prose(draw, words, separators, min_words=0, max_words=8):
    chosen = draw(st.lists(st.sampled_from(words), min_size=min_words, max_size=max_words))
    seps = draw(st.lists(st.sampled_from(separators), min_size=len(chosen), max_size=len(chosen)))
    return "".join(w + s for w, s in zip(chosen, seps, strict=True))


@st.composite
def passages(draw):
    """A passage of PASSAGE words, cut anywhere (even inside a word); no outer spaces."""
    text = draw(prose(PASSAGE, [" ", "", "\n\n"], min_words=1, max_words=5))
    i = draw(st.integers(0, len(text) - 1))
    return text[i:][: draw(st.integers(1, len(text) - i))].strip() or "Party"


NEW_TEXT = prose(NEW, [" ", "; ", "/"], min_words=1, max_words=3)


@st.composite
def untouched_cases(draw):
    """Random edits (deletions, replacements, new text, copies of the passage) on both sides
    of an untouched passage; returns original, passage offsets, target, shifted start."""
    core = draw(passages())
    left = draw(prose(AROUND, [" ", ", ", ". ", "\n\n"]))
    right = draw(prose(AROUND, [" ", ", ", ". ", "\n\n"]))
    text = f"{left}«{core}»{right}"
    start, end = len(left) + 1, len(left) + 1 + len(core)
    inserts = st.one_of(
        NEW_TEXT, st.just(core), st.builds(lambda a, b: a + core + b, NEW_TEXT, NEW_TEXT)
    )

    def edits(lo: int, hi: int) -> list[tuple[int, int, str]]:
        cuts = sorted(draw(st.lists(st.integers(lo, hi), max_size=6)))
        return [(a, b, draw(inserts)) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]

    out, pos, shift = [], 0, 0
    for a, b, new in edits(0, len(left)) + edits(end + 1, len(text)):
        out += [text[pos:a], new]
        pos = b
        shift += len(new) - (b - a) if b <= start else 0
    return text, start, end, "".join(out) + text[pos:], start + shift


@PROPERTY
@given(untouched_cases())
def test_a_passage_no_edit_touches_is_anchored_at_the_shifted_offsets(case):
    text, start, end, target, shifted = case
    quote = quote_for(text, start, end)
    placement = relocate(quote, text, target)
    assert placement == Placement("anchored", shifted, shifted + end - start)
    assert target[placement.start : placement.end] == quote.exact


@st.composite
def units(draw, core):
    """A word or a copy of the passage, with a separator; kept or deleted; new text before."""
    word = draw(st.one_of(st.sampled_from(AROUND + PASSAGE), st.just(core)))
    sep = draw(st.sampled_from([" ", ", ", ". ", "\n\n"]))
    return word + sep, draw(st.booleans()), draw(st.one_of(st.just(""), NEW_TEXT))


@st.composite
def deleted_cases(draw):
    """The passage deleted among look-alikes (its own words, whole copies of it) that already
    stood around it; around it whole words are deleted and new text inserted."""
    core = draw(passages())
    left, right = draw(st.lists(units(core), max_size=6)), draw(st.lists(units(core), max_size=6))

    def before(side):
        return "".join(u for u, _, _ in side)

    def after(side):
        return "".join(new + (u if kept else "") for u, kept, new in side)

    text = f"{before(left)}«{core}»{before(right)}"
    start = len(before(left)) + 1
    return text, start, start + len(core), f"{after(left)}«»{after(right)}"


@PROPERTY
@given(deleted_cases())
def test_a_deleted_passage_is_never_anchored(case):
    text, start, end, target = case
    quote = quote_for(text, start, end)
    placement = relocate(quote, text, target)
    assert_sound(placement, quote, target)
    assert placement.status != "anchored"


TEXT = prose(AROUND + PASSAGE + NEW, [" ", "", ", ", ". ", "\n\n"], max_words=20)


@st.composite
def any_cases(draw):
    """Any two texts: the second need not derive from the first at all."""
    text = draw(TEXT.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    ends = st.integers(start + 1, len(text))
    quotes = [quote_for(text, start, draw(ends))] + [
        quote_for(text, s, draw(st.integers(s + 1, len(text))))
        for s in draw(st.lists(st.integers(0, len(text) - 1), max_size=5))
    ]
    return text, quotes, draw(st.one_of(TEXT, st.just(text)))


@PROPERTY
@given(any_cases())
def test_every_placement_is_sound_and_relocate_many_agrees(case):
    text, quotes, target = case
    placements = relocate_many(quotes, text, target)
    assert placements == [relocate(q, text, target) for q in quotes]
    for quote, placement in zip(quotes, placements, strict=True):
        assert_sound(placement, quote, target)
        if target == text:
            assert placement == Placement("anchored", quote.start, quote.end)
        if quote.exact not in target:
            assert placement.status != "anchored"
