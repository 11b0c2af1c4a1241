"""The bracket parser and the pairs diff between two versions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redline.domain.text.brackets import Unbalanced, changes, parse


@pytest.mark.parametrize(
    "text, pairs",
    [
        ("no brackets at all", []),
        ("Parties shall [promptly] notify", ["[promptly]"]),
        ("[the [competent] authority]", ["[the [competent] authority]", "[competent]"]),
        ("[a [b [c]]]", ["[a [b [c]]]", "[b [c]]", "[c]"]),
        ("[one] and [two]", ["[one]", "[two]"]),
        # A note marker is a footnote reference, not a bracket, also inside a pair.
        ("the data[^1] shall", []),
        ("[the data[^12] held]", ["[the data[^12] held]"]),
        # Quotes change nothing: a quoted bracketed term is a bracket.
        ('"[personal] data" means', ["[personal]"]),
        ("the word “[sic]” stays", ["[sic]"]),
    ],
)
def test_pairs(text, pairs):
    found = parse(text)
    assert [p.text for p in found.pairs] == pairs
    assert found.unbalanced == ()
    for p in found.pairs:
        assert text[p.start : p.end] == p.text


def test_depths_of_nested_pairs():
    found = parse("[a [b [c]]] [d]")
    assert [p.depth for p in found.pairs] == [0, 1, 2, 0]


@pytest.mark.parametrize(
    "text, strays",
    [
        ("[never closed", [Unbalanced(0, "[")]),
        ("closed] twice", [Unbalanced(6, "]")]),
        ("[a [b] c", [Unbalanced(0, "[")]),
        ("a] [b", [Unbalanced(1, "]"), Unbalanced(3, "[")]),
        ("[^1] alone] ", [Unbalanced(10, "]")]),
        ('"[" quoted', [Unbalanced(1, "[")]),
    ],
)
def test_unbalanced(text, strays):
    assert list(parse(text).unbalanced) == strays


def test_alternatives_form_one_group():
    text = "within [Option A: seven days] [Option B: ten days] of receipt"
    a, b = parse(text).pairs
    assert (a.option, b.option) == ("A", "B")
    assert a.group == b.group == 0


def test_alternatives_joined_by_or_and_nested_inside():
    text = "[Option 1: [the] court] or [Option 2: a judge] [x]"
    pairs = parse(text).pairs
    assert [p.text for p in pairs] == [
        "[Option 1: [the] court]",
        "[the]",
        "[Option 2: a judge]",
        "[x]",
    ]
    assert [p.group for p in pairs] == [0, None, 0, None]


def test_single_option_is_no_group():
    (p,) = parse("[Option A: alone] then text").pairs
    assert p.option == "A" and p.group is None


@pytest.mark.parametrize(
    "before, after, opened, kept, dropped, still_open",
    [
        ("shall [promptly] notify", "shall promptly notify", [], ["[promptly]"], [], []),
        ("shall [promptly] notify", "shall notify", [], [], ["[promptly]"], []),
        ("shall notify", "shall [promptly] notify", ["[promptly]"], [], [], ["[promptly]"]),
        ("[a] [b]", "[a] b", [], ["[b]"], [], ["[a]"]),
        # Outer pair settled, inner one still open.
        (
            "[the [competent] authority]",
            "the [competent] authority",
            [],
            ["[the [competent] authority]"],
            [],
            ["[competent]"],
        ),
        # Alternatives: one kept without its label, the other dropped.
        (
            "[Option A: seven days] [Option B: ten days]",
            "seven days",
            [],
            ["[Option A: seven days]"],
            ["[Option B: ten days]"],
            [],
        ),
        # Moved or re-spaced: the same pair.
        ("x [a  b] y", "y [a b] x", [], [], [], ["[a b]"]),
        (None, "[new]", ["[new]"], [], [], ["[new]"]),
        ("[gone]", None, [], [], ["[gone]"], []),
        # Twice the same words: counted twice.
        ("[a] [a]", "[a]", [], ["[a]"], [], ["[a]"]),
    ],
)
def test_changes(before, after, opened, kept, dropped, still_open):
    c = changes(before, after)
    assert [p.text for p in c.opened] == opened
    assert [x.pair.text for x in c.closed if x.kept] == kept
    assert [x.pair.text for x in c.closed if not x.kept] == dropped
    assert [p.text for p in c.still_open] == still_open


@given(st.text(alphabet="ab [ ]", max_size=40))
def test_every_bracket_is_paired_or_reported(text):
    found = parse(text)
    ends = [p.start for p in found.pairs] + [p.end - 1 for p in found.pairs]
    ends += [u.offset for u in found.unbalanced]
    assert sorted(ends) == [i for i, c in enumerate(text) if c in "[]"]


@given(st.text(alphabet="ab []", max_size=40))
def test_unchanged_text_changes_nothing(text):
    c = changes(text, text)
    assert c.opened == () and c.closed == ()
    assert len(c.still_open) == len(parse(text).pairs)
