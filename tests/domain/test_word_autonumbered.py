"""A draft typed with literal numbers and the same draft numbered by Word import identically.

The Budapest Convention (redline/demo/texts) is written into .docx twice: once with the numbers
typed ("Article 3 – ...", "1. ...", "a) ..."), once with every number that follows its sequence
made a Word list number (Article %1 with a space suffix, %2. and %3) with tab suffixes, the way
a secretariat's template does it). Both must read to exactly the provisions of the plain text.
Hypothesis then does the same for generated drafts.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.drafts.reading import parse_draft, read_draft, source_paragraphs
from tests.docx_builders import abstract, docx, level, num

TEXTS = Path(__file__).parents[2] / "redline" / "demo" / "texts"
NUMBERING = abstract(
    1,
    level(0, "decimal", "Article %1", extra='<w:suff w:val="space"/>'),
    level(1, "decimal", "%2."),
    level(2, "lowerLetter", "%3)"),
) + num(1, 1)
ARTICLE = re.compile(r"^Article (\d+) ")
PARAGRAPH = re.compile(r"^(\d+)\. ")
POINT = re.compile(r"^([a-z])\) ")


def _runs(text: str) -> str:
    lines = text.split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{inner}</w:r>" if text else ""


def _para(text: str, ilvl: int | None = None) -> str:
    numpr = (
        ""
        if ilvl is None
        else f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    )
    return f"<w:p>{numpr}{_runs(text)}</w:p>"


def as_word(paragraphs: list[str], auto: bool) -> bytes:
    """The paragraphs as a .docx; with `auto`, numbers in sequence become list numbers."""
    body, counters = [], [0, 0, 0]
    for text in paragraphs:
        found = None
        for ilvl, pattern in enumerate((ARTICLE, PARAGRAPH, POINT)):
            match = pattern.match(text)
            if match:
                value = int(match[1]) if match[1].isdigit() else ord(match[1]) - ord("a") + 1
                if auto and value == counters[ilvl] + 1:
                    found = (ilvl, match.end())
                    counters[ilvl] = value
                    counters[ilvl + 1 :] = [0] * (2 - ilvl)
                break
        if found is None:
            body.append(_para(text))
        else:  # the number (and its suffix) comes from the list; the text follows it
            body.append(_para(text[found[1] :], found[0]))
    return docx("".join(body), numbering=NUMBERING)


def provisions(parsed) -> list[tuple]:
    return [(p.kind, p.number, p.heading, p.paragraphs) for p in parsed.provisions]


def test_budapest_convention_typed_and_auto_numbered_import_identically():
    typed = parse_draft((TEXTS / "budapest_convention_2001_final.txt").read_text())
    paragraphs = source_paragraphs(typed)
    auto = as_word(paragraphs, auto=True)
    document = zipfile.ZipFile(io.BytesIO(auto)).read("word/document.xml")
    assert document.count(b"<w:numPr>") > 200  # the convention really is auto-numbered
    for data in (as_word(paragraphs, auto=False), auto):
        parsed = read_draft("budapest.docx", data)
        assert provisions(parsed) == provisions(typed)
        assert source_paragraphs(parsed) == paragraphs


WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=30).map(
    lambda s: " ".join(s.split()) or "text"
)


@st.composite
def drafts(draw) -> list[str]:
    out = ["Preamble", "The Parties have agreed as follows:"]
    for article in range(1, draw(st.integers(1, 6)) + 1):
        out.append(f"Article {article} – {draw(WORDS).capitalize()}")
        for number in range(1, draw(st.integers(0, 4)) + 1):
            out.append(f"{number}. {draw(WORDS).capitalize()}:")
            for letter in "abc"[: draw(st.integers(0, 3))]:
                out.append(f"{letter}) {draw(WORDS)};")
        if draw(st.booleans()):
            out.append(draw(WORDS).capitalize() + ".")
    return out


@settings(max_examples=40, deadline=None)
@given(drafts())
def test_generated_drafts_typed_and_auto_numbered_import_identically(paragraphs: list[str]):
    typed = parse_draft("\n\n".join(paragraphs))
    for auto in (False, True):
        assert provisions(read_draft("d.docx", as_word(paragraphs, auto))) == provisions(typed)
