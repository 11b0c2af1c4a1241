"""The diff core: tokens, coding, the checked engine and its fallback, the budget."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.text import diff
from redline.domain.text.diff import (
    DELETE,
    EQUAL,
    INSERT,
    MAX_TOKENS,
    Codebook,
    OverBudget,
    TooManyTokens,
    cleanup_semantic,
    coarse_tokens,
    common_length,
    diff_chars,
    diff_text,
    rebuilds,
    spaced_tokens,
    tokenize,
)

ENGINES = pytest.mark.parametrize("use_fast", [True, False], ids=["cpp", "python"])


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cut", "text", "tokens"),
    [
        (
            tokenize,
            "the Party's co-operation",
            ["the", " ", "Party", "'", "s", " ", "co", "-", "operation"],
        ),
        (tokenize, "cafe\u0301 au lait", ["cafe\u0301", " ", "au", " ", "lait"]),
        (tokenize, "a  \n b", ["a", "  \n ", "b"]),
        (spaced_tokens, "  Each Party, shall", ["  ", "Each ", "Party", ", ", "shall"]),
        (coarse_tokens, "One. Two; three\nfour", ["One. ", "Two; ", "three\n", "four"]),
        (tokenize, "", []),
    ],
)
def test_tokens(cut, text, tokens):
    assert cut(text) == tokens


# Pieces, not characters: a decomposed accent and a conjunct are several code points.
TEXTS = st.lists(
    st.sampled_from(
        [
            *"ab \n.,;-'",
            "Party",
            "\u00e9",
            "e\u0301",
            "\u0915\u094d\u0937",
            "\U0001f600",
            "\ue000",
            "\U000f0000",
        ]
    ),
    max_size=30,
).map("".join)


@settings(deadline=None, max_examples=200)
@given(TEXTS)
def test_property_every_cut_rebuilds_the_text(text):
    for cut in (tokenize, spaced_tokens, coarse_tokens):
        tokens = cut(text)
        assert "".join(tokens) == text
        assert all(tokens)


# --- coding ----------------------------------------------------------------------------------


def test_codebook_codes_equal_tokens_alike_and_decodes():
    book = Codebook()
    a, b = book.encode(["the", " ", "Party"]), book.encode(["Party", " ", "the"])
    assert len(a) == len(b) == 3 and len(book) == 3
    assert a[0] == b[2] and a[2] == b[0]
    assert book.decode(a) == "the Party" and book.decode(b) == "Party the"
    # Tokens that are themselves private-use characters are coded like any other.
    assert book.decode(book.encode(["\ue000", "\ue001"])) == "\ue000\ue001"


def test_codebook_goes_past_the_bmp_then_stops():
    book = Codebook()
    coded = book.encode(f"w{i}" for i in range(7000))
    assert ord(coded[6399]) == 0xF8FF and ord(coded[6400]) == 0xF0000
    assert book.decode(coded[6400]) == "w6400"
    with pytest.raises(TooManyTokens):
        Codebook().encode(str(i) for i in range(MAX_TOKENS + 1))


# --- the engine ------------------------------------------------------------------------------


@ENGINES
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("", "", []),
        ("abc", "abc", [(EQUAL, "abc")]),
        ("abc", "", [(DELETE, "abc")]),
        ("", "abc", [(INSERT, "abc")]),
        ("Party", "Parties", [(EQUAL, "Part"), (DELETE, "y"), (INSERT, "ies")]),
    ],
)
def test_diff_chars_table(a, b, expected, use_fast):
    got = diff_chars(a, b, use_fast=use_fast)
    assert [(k, t) for k, t in got if t] == [(k, t) for k, t in expected if t]


@ENGINES
def test_diff_text_is_a_word_diff(use_fast):
    ops = diff_text("the Parties shall adopt", "the Party shall adopt", use_fast=use_fast)
    assert ops == [(EQUAL, "the "), (DELETE, "Parties"), (INSERT, "Party"), (EQUAL, " shall adopt")]


@settings(deadline=None, max_examples=200)
@given(TEXTS, TEXTS, st.booleans(), st.booleans())
def test_property_ops_rebuild_both_texts_on_token_boundaries(a, b, use_fast, semantic):
    for cut in (tokenize, spaced_tokens, coarse_tokens):
        ops = diff_text(a, b, cut, use_fast=use_fast, semantic=semantic)
        assert rebuilds(ops, a, b)
        for text, kinds in ((a, {EQUAL, DELETE}), (b, {EQUAL, INSERT})):
            pos, cuts = 0, set()
            for kind, piece in ops:
                if kind in kinds:
                    pos += len(piece)
                    cuts.add(pos)
            token_ends, end = set(), 0
            for tok in cut(text):
                end += len(tok)
                token_ends.add(end)
            assert cuts <= token_ends | {0}


@settings(deadline=None, max_examples=100)
@given(TEXTS, TEXTS)
def test_property_both_engines_agree_on_the_common_length(a, b):
    book = Codebook()
    ca, cb = book.encode(tokenize(a)), book.encode(tokenize(b))
    fast, python = common_length(ca, cb), common_length(ca, cb, use_fast=False)
    assert fast == python
    assert fast == sum(len(t) for k, t in diff_chars(ca, cb, semantic=False) if k == EQUAL)


@pytest.mark.parametrize("semantic", [True, False])
def test_cleanup_semantic_keeps_the_texts(semantic):
    ops = diff_chars("the Party shall", "a State may", semantic=semantic)
    cleaned = cleanup_semantic(ops)
    assert rebuilds(cleaned, "the Party shall", "a State may")
    assert len(cleaned) <= len(ops)


class _Broken:
    """A C++ engine whose answers are wrong: the core must notice and use Python."""

    @staticmethod
    def diff(a, b, **kwargs):
        return [("=", 1)] if kwargs.get("counts_only") else [("=", a[:1])]


class _Raising:
    """A C++ engine that fails outright."""

    @staticmethod
    def diff(a, b, **kwargs):
        raise RuntimeError("the C++ build failed")


@pytest.mark.parametrize("engine", [None, _Broken, _Raising], ids=["missing", "wrong", "failing"])
def test_python_runs_when_the_cpp_engine_cannot_be_trusted(monkeypatch, engine):
    expected = diff_chars("kitten", "sitting", use_fast=False)
    monkeypatch.setattr(diff, "_fast", engine)
    assert diff_chars("kitten", "sitting") == expected
    assert common_length("kitten", "sitting") == 4


def _shuffled(seed: int, size: int) -> str:
    import random

    rng = random.Random(seed)
    words = ["a", "an", "the", "of", "to", "in", "it", "is", "be", "as", "at", "so", "we"]
    return " ".join(rng.choice(words) for _ in range(size // 3))


@ENGINES
def test_strict_raises_past_the_budget_lenient_answers_a_valid_diff(use_fast):
    """A hang guard, not a timing assertion: the budget is tiny, the inputs pathological."""
    old, new = _shuffled(1, 120_000), _shuffled(2, 120_000)
    with pytest.raises(OverBudget):
        diff_text(old, new, budget=0.05, strict=True, use_fast=use_fast)
    ops = diff_text(old, new, budget=0.05, use_fast=use_fast)
    assert rebuilds(ops, old, new)


def test_small_inputs_get_the_exact_diff_whatever_the_budget():
    a, b = "the Party shall " * 100, "the Parties may " * 100
    assert diff_chars(a, b, budget=1e-9) == diff_chars(a, b, budget=0)


def test_match_finds_a_pattern_near_a_place():
    text = "Each Party shall ensure that the Party may"
    assert diff.match(text, "Party", 30) == text.rindex("Party")
    assert diff.match(text, "Party", 0) == text.index("Party")
    assert diff.match(text, "zzzzz", 0) == -1


def test_no_module_but_the_core_picks_an_engine():
    """The rule this module exists for: the other text modules call it and never import
    diff-match-patch themselves."""
    from pathlib import Path

    text_dir = Path(diff.__file__).parent
    for path in text_dir.glob("*.py"):
        if path.name == "diff.py":
            continue
        source = path.read_text()
        assert not re.search(r"^\s*(from|import) (fast_)?diff_match_patch", source, re.M), path
