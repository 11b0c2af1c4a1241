"""Highlighting commented passages (escaped, overlapping, text content unchanged), the same in
a redline, and finding a quoted passage."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.text.passages import PassageNotFound, Span, highlight, highlight_ops, locate


def text_of(html: str) -> str:
    """What the browser's textContent would be (tags dropped, entities decoded)."""
    plain = re.sub(r"<[^>]+>", "", html)
    return (
        plain.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&amp;", "&")
    )


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("abc", [], "abc"),
        (
            "abcdef",
            [Span(1, 3, 7)],
            'a<span class="passage" id="passage-7"></span><mark class="anchor" data-threads="7">bc'
            "</mark>def",
        ),
        (
            "abcdef",
            [Span(0, 4, 1), Span(2, 6, 2)],
            '<span class="passage" id="passage-1"></span><mark class="anchor" data-threads="1">ab'
            '</mark><span class="passage" id="passage-2"></span><mark class="anchor overlap" '
            'data-threads="1 2">cd</mark><mark class="anchor" data-threads="2">ef</mark>',
        ),
        (
            "ab",
            [Span(0, 2, 3, changed=True)],
            '<span class="passage" id="passage-3"></span><mark class="anchor changed" '
            'data-threads="3">ab</mark>',
        ),
        (
            "a<b>&c",
            [Span(1, 4, 1)],
            'a<span class="passage" id="passage-1"></span><mark class="anchor" data-threads="1">'
            "&lt;b&gt;</mark>&amp;c",
        ),
        ("abc", [Span(2, 9, 1), Span(-1, 1, 2), Span(1, 1, 3)], "abc"),  # out of range: ignored
    ],
)
def test_highlight_table(text, spans, expected):
    assert str(highlight(text, spans)) == expected


def test_same_range_twice_and_nested():
    html = str(highlight("hello world", [Span(0, 5, 2), Span(0, 5, 1), Span(1, 3, 9)]))
    assert html.count('id="passage-') == 3
    assert 'data-threads="1 2">h</mark>' in html
    assert 'data-threads="1 2 9">el</mark>' in html
    assert text_of(html) == "hello world"


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted), max_size=12)


@given(text=st.text(alphabet="ab <>&\"'\n😀é", max_size=40), ranges=spans)
def test_highlight_never_changes_the_text(text, ranges):
    marks = [Span(a, b, i) for i, (a, b) in enumerate(ranges)]
    html = str(highlight(text, marks))
    assert text_of(html) == text
    assert "<script" not in html and "<b" not in html.replace("<br", "")
    assert html.count("<mark") == html.count("</mark>")


def test_highlight_ops_marks_struck_and_inserted_text():
    ops = [("equal", "The "), ("delete", "Party"), ("insert", "State"), ("equal", " <shall>")]
    html = str(highlight_ops(ops, [Span(4, 9, 1)], [Span(9, 15, 2)]))
    assert (
        '<del><span class="passage" id="passage-1"></span><mark class="anchor" '
        'data-threads="1">Party</mark></del>' in html
    )
    assert "<ins>State</ins>" in html
    assert '<mark class="anchor" data-threads="2"> &lt;shal</mark>' in html
    assert text_of(html) == "ThePartyState <shall>".replace("ThePartyState", "The PartyState")


def test_highlight_ops_across_op_boundaries():
    ops = [("equal", "one "), ("insert", "two "), ("equal", "three")]
    html = str(highlight_ops(ops, [], [Span(2, 10, 5)]))  # "e two thr" on the new text
    assert html.count('data-threads="5"') == 3  # one mark per op it crosses
    assert html.count('id="passage-5"') == 1


def test_highlight_ops_names_what_describes_each_mark():
    ops = [("equal", "one "), ("delete", "two")]
    html = str(highlight_ops(ops, [Span(0, 7, 4), Span(4, 7, 9)], [], described_by="note-"))
    assert '<mark class="anchor" data-threads="4" aria-describedby="note-4">one </mark>' in html
    assert 'data-threads="4 9" aria-describedby="note-4 note-9">two</mark></del>' in html
    assert "aria-describedby" not in str(highlight_ops(ops, [Span(0, 3, 4)], []))


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("the Party shall act", "Party shall", (4, 15)),
        ("the Party\nshall act", "Party   shall", (4, 15)),
        ("the Party shall act", "PARTY", (4, 9)),
        ("a (b) c", "(b)", (2, 5)),
    ],
)
def test_locate_finds_one_passage(text, quote, expected):
    assert locate(text, quote) == expected


@pytest.mark.parametrize(
    ("text", "quote", "message"),
    [
        ("the Party and the Party", "the Party", "2 times"),
        ("the Party", "State", "not in this version"),
        ("the Party", "  ", "Type or paste"),
        ("Party party", "PARTY", "2 times"),
    ],
)
def test_locate_asks_for_more_words(text, quote, message):
    with pytest.raises(PassageNotFound, match=message):
        locate(text, quote)


# --- locate without regular expressions (issue 12, fault 2) ----------------------------------


def _locate_by_regex(text: str, quote: str):
    """The former implementation (a pattern built from the quote), kept here as the oracle."""
    import re as regex

    words = quote.split()
    pattern = r"\s+".join(regex.escape(w) for w in words)
    found = list(regex.finditer(pattern, text)) or list(
        regex.finditer(pattern, text, regex.IGNORECASE)
    )
    return [(m.start(), m.end()) for m in found]


_WORDS = st.sampled_from(
    ["the", "Party", "party", "PARTY", "shall", "a.b", "(1)", "*", "ß", "İ", "ǅ", "x+y", "[a]"]
)
_SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003"])


@settings(deadline=None, max_examples=300)
@given(
    st.lists(st.tuples(_WORDS, _SPACE), max_size=25), st.integers(0, 25), st.integers(1, 4), _SPACE
)
def test_property_locate_agrees_with_the_former_regex(pieces, at, size, joiner):
    text = "".join(w + s for w, s in pieces)
    quote = joiner.join(w for w, _ in pieces[at : at + size]) or "absent"
    expected = _locate_by_regex(text, quote)
    try:
        found = [locate(text, quote)]
    except PassageNotFound:
        found = None
    if len(expected) == 1:
        assert found == expected
        start, end = found[0]
        assert len(text[start:end].split()) == len(quote.split())
    else:
        assert found is None
