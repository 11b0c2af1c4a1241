"""Word-level redlines: tables of cases, real drafting data, and properties."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from redline.domain.text.redline import (
    Stats,
    coarse_redline,
    coarse_tokens,
    is_coarse,
    new_text,
    old_text,
    ops_from_json,
    ops_to_json,
    redline,
    render_inline,
    render_new,
    render_old,
    stats,
    tokenize,
)

TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"

# Budapest Convention preamble, Draft No. 21 (PC-CY (2000) Draft No 21, 28 June 2000) and the
# final text (ETS No. 185), over the span the Draft 21 fragment covers. Pasted, not read from
# shared data, so the tests run in a fresh clone.
DRAFT21_RECITALS = [
    "Recognising the value of fostering co-operation with the other States signatories to this "
    "Convention;",
    "Convinced of the need to pursue, as a matter of priority, a common criminal policy aimed at "
    "the protection of society against cyber-crime, inter alia by adopting appropriate "
    "legislation and fostering international co-operation;",
    "Concerned at the risk that computer networks and electronic information may also be used for "
    "committing criminal offences and that evidence relating to such offences may be stored and "
    "transferred by these networks;",
    "Believing that an effective fight against cyber-crime requires increased, rapid and "
    "well-functioning international co-operation in criminal matters;",
]
FINAL_RECITALS = [
    "Recognising the value of fostering co-operation with the other States parties to this "
    "Convention;",
    "Convinced of the need to pursue, as a matter of priority, a common criminal policy aimed at "
    "the protection of society against cybercrime, inter alia, by adopting appropriate "
    "legislation and fostering international co-operation;",
    "Concerned by the risk that computer networks and electronic information may also be used for "
    "committing criminal offences and that evidence relating to such offences may be stored and "
    "transferred by these networks;",
    "Believing that an effective fight against cybercrime requires increased, rapid and "
    "well-functioning international co-operation in criminal matters;",
]
NEW_RECITAL = (
    "Recognising the need for co-operation between States and private industry in combating "
    "cybercrime and the need to protect legitimate interests in the use and development of "
    "information technologies;"
)


def changes(ops):
    """The (kind, text) of every non-equal op: what a reader sees marked."""
    return [(k, t) for k, t in ops if k != "equal"]


# --- tokenize --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("word", ["word"]),
        ("two  words", ["two", "  ", "words"]),
        ("co-operation", ["co", "-", "operation"]),
        ("Parties' rights", ["Parties", "'", " ", "rights"]),
        ("Article 18.1.a)", ["Article", " ", "18", ".", "1", ".", "a", ")"]),
        ("line\n\nnext", ["line", "\n\n", "next"]),
        ("a\t \nb", ["a", "\t \n", "b"]),
        ("«données» – État", ["«", "données", "»", " ", "–", " ", "État"]),
        ("cafe\u0301 noir", ["cafe\u0301", " ", "noir"]),  # decomposed accent stays on its word
        ("क्षत्रिय धर्म", ["क्षत्रिय", " ", "धर्म"]),  # Devanagari virama/vowel signs
        ("<script>", ["<", "script", ">"]),
        ("snake_case x2", ["snake_case", " ", "x2"]),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


# --- redline: tables -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),
        ("same", "same", [("equal", "same")]),
        ("", "added", [("insert", "added")]),
        ("gone", "", [("delete", "gone")]),
        (
            "the other States signatories to this Convention",
            "the other States parties to this Convention",
            [
                ("equal", "the other States "),
                ("delete", "signatories"),
                ("insert", "parties"),
                ("equal", " to this Convention"),
            ],
        ),
        (
            "against cyber-crime, inter alia by adopting",
            "against cybercrime, inter alia, by adopting",
            [
                ("equal", "against "),
                ("delete", "cyber-crime"),
                ("insert", "cybercrime"),
                ("equal", ", inter alia"),
                ("insert", ","),
                ("equal", " by adopting"),
            ],
        ),
        (  # a changed letter replaces the whole word: never "cat<del>s</del>"
            "the Parties shall",
            "the Party shall",
            [("equal", "the "), ("delete", "Parties"), ("insert", "Party"), ("equal", " shall")],
        ),
        (
            "Each Party shall adopt measures.",
            "Each Party shall adopt such legislative and other measures.",
            [
                ("equal", "Each Party shall adopt "),
                ("insert", "such legislative and other "),
                ("equal", "measures."),
            ],
        ),
        (
            "First paragraph.\n\nSecond paragraph.",
            "First paragraph.\n\nNew paragraph.\n\nSecond paragraph.",
            [
                ("equal", "First paragraph.\n\n"),
                ("insert", "New paragraph.\n\n"),
                ("equal", "Second paragraph."),
            ],
        ),
    ],
)
@pytest.mark.parametrize("use_fast", [True, False], ids=["cpp", "python"])
def test_redline_cases(old, new, expected, use_fast):
    assert redline(old, new, use_fast=use_fast) == expected


def test_budapest_draft21_to_final():
    old = "\n\n".join(DRAFT21_RECITALS)
    new = "\n\n".join(FINAL_RECITALS[:3] + [NEW_RECITAL] + FINAL_RECITALS[3:])
    ops = redline(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert changes(ops) == [
        ("delete", "signatories"),
        ("insert", "parties"),
        ("delete", "cyber-crime"),
        ("insert", "cybercrime"),
        ("insert", ","),
        ("delete", "at"),
        ("insert", "by"),
        ("insert", NEW_RECITAL + "\n\n"),
        ("delete", "cyber-crime"),
        ("insert", "cybercrime"),
    ]
    # parties, cybercrime x2 + the 30 words of the new recital ("co-operation" is two words);
    # signatories, at, and "cyber-crime" twice (two words each).
    assert stats(ops) == Stats(inserted_words=3 + 30, deleted_words=6)


def _demo_body(name: str) -> str:
    """A demo text file without its "# key: value" header and the excerpt-end marker."""
    body = (TEXTS / name).read_text(encoding="utf-8").split("\n\n", 1)[1]
    return re.sub(r"\s*\[EXCERPT ENDS HERE[^\]]*\]\s*$", "", body)


def test_budapest_demo_files_preamble():
    draft = _demo_body("budapest_convention_2000-06-28_draft21_preamble_fragment.txt")
    final = _demo_body("budapest_convention_2001_final.txt")
    # Same span on both sides: from the first recital to where the fragment stops.
    start = "The member States of the Council of Europe"
    stop = "by providing arrangements for"
    old = draft[draft.index(start) : draft.index(stop) + len(stop)]
    new = final[final.index(start) : final.index(stop) + len(stop)]
    ops = redline(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    marked = changes(ops)
    for change in [
        ("delete", "signatories"),
        ("insert", "parties"),
        ("delete", "cyber-crime"),
        ("insert", "cybercrime"),
        ("delete", "actions"),
        ("insert", "action"),
        ("insert", NEW_RECITAL + "\n\n"),
    ]:
        assert change in marked
    # Draft 19 and Draft 21 are identical over Draft 19's shorter span: a no-change control.
    d19 = _demo_body("budapest_convention_2000-04-25_draft19_preamble_fragment.txt")
    stop19 = "investigation and prosecution"
    span19 = d19[d19.index(start) : d19.index(stop19) + len(stop19)]
    span21 = draft[draft.index(start) : draft.index(stop19) + len(stop19)]
    assert redline(span19, span21) == [("equal", span21)]


def test_engines_agree_on_budapest():
    old, new = "\n\n".join(DRAFT21_RECITALS), "\n\n".join(FINAL_RECITALS)
    assert redline(old, new, use_fast=True) == redline(old, new, use_fast=False)


# --- rendering -------------------------------------------------------------------------------


def test_render_inline_and_sides():
    ops = [("equal", "a < b\n"), ("delete", "& c"), ("insert", '"d"'), ("equal", " e")]
    assert render_inline(ops) == Markup("a &lt; b\n<del>&amp; c</del><ins>&#34;d&#34;</ins> e")
    assert render_old(ops) == Markup("a &lt; b\n<del>&amp; c</del> e")
    assert render_new(ops) == Markup("a &lt; b\n<ins>&#34;d&#34;</ins> e")
    assert isinstance(render_inline(ops), Markup)


def test_json_round_trip():
    ops = redline("the Parties shall", "the Party shall")
    data = ops_to_json(ops)
    assert data == [
        ["equal", "the "],
        ["delete", "Parties"],
        ["insert", "Party"],
        ["equal", " shall"],
    ]
    assert ops_from_json(data) == ops
    with pytest.raises(ValueError):
        ops_from_json([["replace", "x"]])


# --- properties ------------------------------------------------------------------------------

VOCAB = [
    *"Party Parties shall may the of data co operation cybercrime État données 18 a".split(),
    *["cafe\u0301", "क्ष", "<script>", "&amp;", "alert(1)"],
    *[" ", "  ", "\n", "\n\n", "\t", ",", ".", ";", "-", "'", '"', "(", ")", "–", "»"],
]
token_lists = st.lists(st.sampled_from(VOCAB), max_size=40)
texts = token_lists.map("".join) | st.text(max_size=60)


@st.composite
def related_pair(draw):
    """Two texts sharing most tokens, like two drafts of one provision."""
    base = draw(token_lists)
    other = list(base)
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(other)))
        choice = draw(st.sampled_from(["insert", "delete", "replace"]))
        if choice == "insert" or not other or i == len(other):
            other.insert(i, draw(st.sampled_from(VOCAB)))
        elif choice == "delete":
            del other[i]
        else:
            other[i] = draw(st.sampled_from(VOCAB))
    return "".join(base), "".join(other)


pairs = related_pair() | st.tuples(texts, texts)


def _boundaries(ops, side_kinds):
    pos, out = 0, []
    for kind, text in ops:
        if kind in side_kinds:
            pos += len(text)
            out.append(pos)
    return out[:-1]


@settings(deadline=None, max_examples=200)
@given(pairs, st.booleans())
def test_property_rebuild_and_shape(pair, use_fast):
    old, new = pair
    ops = redline(old, new, use_fast=use_fast)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(text for _, text in ops)
    assert all(a[0] != b[0] for a, b in zip(ops, ops[1:], strict=False))
    assert ("insert", "delete") not in {(a[0], b[0]) for a, b in zip(ops, ops[1:], strict=False)}


@settings(deadline=None, max_examples=200)
@given(pairs)
def test_property_no_boundary_inside_a_word(pair):
    old, new = pair
    ops = redline(old, new)
    for text, kinds in ((old, {"equal", "delete"}), (new, {"equal", "insert"})):
        for pos in _boundaries(ops, kinds):
            assert not re.fullmatch(r"\w\w", text[pos - 1 : pos + 1]), (text, pos)
            assert unicodedata.category(text[pos])[0] != "M", (text, pos)


@settings(deadline=None, max_examples=150)
@given(texts)
def test_property_identity(text):
    assert redline(text, text) == ([("equal", text)] if text else [])
    assert stats(redline(text, text)) == Stats(0, 0)


@settings(deadline=None, max_examples=200)
@given(pairs)
def test_property_symmetry(pair):
    a, b = pair
    forward, backward = redline(a, b), redline(b, a)
    swap = {"equal": "equal", "insert": "delete", "delete": "insert"}
    mirrored = [(swap[k], t) for k, t in forward]
    assert old_text(backward) == new_text(forward) and new_text(backward) == old_text(forward)
    assert stats(backward) == Stats(stats(forward).deleted_words, stats(forward).inserted_words)
    # Stronger than required: the very same edit, seen from the other side.
    assert changes(backward) == changes(_reorder(mirrored))


def _reorder(ops):
    """Put each insert after the delete it pairs with (the canonical order)."""
    out = list(ops)
    for i in range(len(out) - 1):
        if out[i][0] == "insert" and out[i + 1][0] == "delete":
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


_TAG = re.compile(r"</?(ins|del)>")


@settings(deadline=None, max_examples=200)
@given(pairs)
def test_property_rendering_escapes(pair):
    old, new = pair
    old, new = "<script>" + old, new + "<b>&</b>"
    ops = redline(old, new)
    for render, expected in (
        (render_old, old),
        (render_new, new),
        (render_inline, "".join(t for _, t in ops)),
    ):
        out = str(render(ops))
        assert "<script" not in out and "<b>" not in out
        # Only our own tags are markup; everything else is escaped text that reads back exactly.
        assert set(re.findall(r"<[^>]*>", out)) <= {"<ins>", "</ins>", "<del>", "</del>"}
        assert html.unescape(_TAG.sub("", out)) == expected


@settings(deadline=None, max_examples=100)
@given(pairs)
def test_property_engines_both_valid(pair):
    old, new = pair
    for use_fast in (True, False):
        ops = redline(old, new, use_fast=use_fast)
        assert (old_text(ops), new_text(ops)) == (old, new)


# --- engines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("use_fast", [True, False], ids=["cpp", "python"])
def test_more_distinct_tokens_than_the_bmp_private_use_area(use_fast):
    # 6,400 private-use characters in the BMP; beyond them tokens map to planes 15 and 16.
    words = [f"w{i}" for i in range(8000)]
    new_words = list(words)
    new_words[7500] = "changed"
    del new_words[100]
    old, new = " ".join(words), " ".join(new_words)
    ops = redline(old, new, use_fast=use_fast)
    assert (old_text(ops), new_text(ops)) == (old, new)
    assert changes(ops) == [("delete", "w100 "), ("delete", "w7500"), ("insert", "changed")]


def test_falls_back_to_python_without_the_cpp_engine(monkeypatch):
    import redline.domain.text.diff as module

    expected = redline("the Parties shall", "the Party shall", use_fast=False)
    monkeypatch.setattr(module, "_fast", None)
    assert redline("the Parties shall", "the Party shall") == expected


def test_falls_back_to_python_when_the_cpp_answer_is_invalid(monkeypatch):
    import redline.domain.text.diff as module

    class Broken:
        @staticmethod
        def diff(a, b, **kwargs):
            return [("=", a[:1])]  # does not rebuild either string

    expected = redline("the Parties shall", "the Party shall", use_fast=False)
    monkeypatch.setattr(module, "_fast", Broken)
    assert redline("the Parties shall", "the Party shall") == expected


# --- the time budget and the coarse fallback (issue 12, fault 5) ------------------------------


@settings(deadline=None, max_examples=200)
@given(pairs, st.booleans(), st.booleans())
def test_property_coarse_fallback_rebuilds_both_texts(pair, use_fast, sentences):
    old, new = pair
    ops = coarse_redline(old, new, use_fast=use_fast, sentences=sentences)
    assert is_coarse(ops)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(text for _, text in ops)
    assert all(a[0] != b[0] for a, b in zip(ops, ops[1:], strict=False))
    assert ("insert", "delete") not in {(a[0], b[0]) for a, b in zip(ops, ops[1:], strict=False)}
    for text, kinds in ((old, {"equal", "delete"}), (new, {"equal", "insert"})):
        for pos in _boundaries(ops, kinds):
            assert not re.fullmatch(r"\w\w", text[pos - 1 : pos + 1]), (text, pos)
    flipped = coarse_redline(new, old, use_fast=use_fast, sentences=sentences)
    swap = {"equal": "equal", "insert": "delete", "delete": "insert"}
    assert [(k, t) for k, t in flipped] == [
        (k, t) for k, t in _normalise_for_test([(swap[k], t) for k, t in ops])
    ]


def _normalise_for_test(ops):
    from redline.domain.text.redline import _normalise

    return _normalise(ops)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.sampled_from(["One. ", "Two; ", "three\n", "four ", "five", "x.y ", "\n"])))
def test_property_coarse_tokens_rebuild_and_cut_after_whitespace(pieces):
    text = "".join(pieces)
    tokens = coarse_tokens(text)
    assert "".join(tokens) == text
    assert all(tokens)
    assert all(t[-1].isspace() for t in tokens[:-1])


def _shuffled(seed: int, size: int) -> str:
    import random

    rng = random.Random(seed)
    words = ["a", "an", "the", "of", "to", "in", "it", "is", "be", "as", "at", "so", "we"]
    out, n = [], 0
    while n < size:
        word = rng.choice(words) + ("." if rng.random() < 0.05 else "")
        out.append(word)
        n += len(word) + 1
    return " ".join(out)


@pytest.mark.parametrize("use_fast", [True, False], ids=["cpp", "python"])
def test_pathological_pair_falls_back_instead_of_running_on(use_fast):
    """Two shuffles of 200,000 characters of short words: half a minute unbounded. A hang
    guard (signal.alarm), never a timing assertion: the budget is tiny, the fallback coarse."""
    import signal

    old, new = _shuffled(1, 200_000), _shuffled(2, 200_000)

    def hung(signum, frame):
        raise TimeoutError("the diff ran on past its budget")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(25)
    try:
        ops = redline(old, new, use_fast=use_fast, budget=0.2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert is_coarse(ops)
    assert (old_text(ops), new_text(ops)) == (old, new)


def test_small_edits_stay_word_by_word():
    ops = redline("the Parties shall adopt", "the Party shall adopt")
    assert not is_coarse(ops)
    assert changes(ops) == [("delete", "Parties"), ("insert", "Party")]
