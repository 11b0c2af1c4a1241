"""Attribution tables and properties: which step of a chain wrote each character."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.text.attribution import Run, attribute, carry, within
from redline.domain.text.redline import redline


def _words(text: str, runs: list[Run]) -> list[tuple[str, object]]:
    return [(text[r.start : r.end], r.label) for r in runs]


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        ([], []),
        ([("a", "")], []),
        ([("a", "The Parties agree.")], [("The Parties agree.", "a")]),
        # An inserted word belongs to the step that inserted it.
        (
            [("a", "The Parties agree."), ("b", "The Contracting Parties agree.")],
            [("The ", "a"), ("Contracting ", "b"), ("Parties agree.", "a")],
        ),
        # A replaced word: the new word is the new step's; deleted words leave no trace.
        (
            [("a", "shall adopt measures"), ("b", "may adopt measures")],
            [("may", "b"), (" adopt measures", "a")],
        ),
        # Unchanged steps write nothing; a later step's words keep their label.
        (
            [
                ("a", "one two"),
                ("b", "one two three"),
                ("c", "one two three"),
                ("d", "zero one two three"),
            ],
            [("zero ", "d"), ("one two", "a"), (" three", "b")],
        ),
        # A word deleted then written again is the re-writer's (as git blame).
        (
            [("a", "alpha beta gamma"), ("b", "alpha gamma"), ("c", "alpha beta gamma")],
            [("alpha ", "a"), ("beta ", "c"), ("gamma", "a")],
        ),
        # The whole text replaced.
        ([("a", "old words"), ("b", "new text")], [("new text", "b")]),
        # Text emptied then written again.
        ([("a", "x y"), ("b", ""), ("c", "x y")], [("x y", "c")]),
        # Non-ASCII words and combining marks stay whole.
        (
            [("a", "la coopération"), ("b", "la coope\u0301ration pénale")],
            [("la ", "a"), ("coope\u0301ration pénale", "b")],
        ),
    ],
)
def test_attribution_table(chain, expected):
    runs = attribute(chain)
    text = chain[-1][1] if chain else ""
    assert _words(text, runs) == expected


def test_carry_shifts_equal_runs_and_labels_inserts():
    runs = [Run(0, 4, "a"), Run(4, 9, "b")]  # "one " + "two 3"
    ops = [("insert", "zero "), ("equal", "one two"), ("delete", " 3")]
    assert carry(runs, ops, "c") == [Run(0, 5, "c"), Run(5, 9, "a"), Run(9, 12, "b")]


def test_ops_that_do_not_rebuild_the_texts_are_refused():
    with pytest.raises(ValueError):
        attribute([("a", "abc"), ("b", "abd")], diff=lambda old, new: [("equal", "abc")])


def test_within_clips_to_the_passage_either_way_round():
    runs = [Run(0, 5, "a"), Run(5, 10, "b"), Run(10, 12, "c")]
    assert within(runs, 3, 7) == [Run(3, 5, "a"), Run(5, 7, "b")]
    assert within(runs, 7, 3) == [Run(3, 5, "a"), Run(5, 7, "b")]
    assert within(runs, 12, 12) == []


WORDS = st.sampled_from(["the", "Party", "shall", "may", "adopt", "measures", "é", "ö", "1"])
TEXT = st.lists(st.tuples(WORDS, st.sampled_from([" ", ", ", ".\n", " ("])), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_runs_cover_the_newest_text_exactly_once_in_order(texts):
    chain = list(enumerate(texts))
    runs = attribute(chain)
    position = 0
    for run in runs:
        assert run.start == position < run.end
        position = run.end
    assert position == len(texts[-1])
    # Neighbours never share a label (merged), and every label is a step of the chain.
    assert all(a.label != b.label for a, b in zip(runs, runs[1:], strict=False))
    assert {r.label for r in runs} <= set(range(len(texts)))
    # What the last step inserted is exactly what its redline inserted.
    if len(texts) > 1 and texts[-1] != texts[-2]:
        inserted = "".join(t for k, t in redline(texts[-2], texts[-1]) if k == "insert")
        mine = "".join(texts[-1][r.start : r.end] for r in runs if r.label == len(texts) - 1)
        assert mine == inserted
