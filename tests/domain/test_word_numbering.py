"""Word's automatic numbering: every number format, lvlText patterns, restarts and overrides."""

from __future__ import annotations

import pytest
from lxml import etree

from redline.domain.drafts.word.numbering import Numbering, format_number
from tests.docx_builders import NS, abstract, level, num

FORMATS = [
    (1, "decimal", "1"),
    (12, "decimal", "12"),
    (0, "decimal", "0"),
    (3, "decimalZero", "03"),
    (12, "decimalZero", "12"),
    (1, "lowerLetter", "a"),
    (26, "lowerLetter", "z"),
    (27, "lowerLetter", "aa"),
    (28, "lowerLetter", "bb"),
    (53, "lowerLetter", "aaa"),
    (2, "upperLetter", "B"),
    (27, "upperLetter", "AA"),
    (1, "lowerRoman", "i"),
    (4, "lowerRoman", "iv"),
    (9, "lowerRoman", "ix"),
    (14, "lowerRoman", "xiv"),
    (40, "lowerRoman", "xl"),
    (1999, "upperRoman", "MCMXCIX"),
    (3, "upperRoman", "III"),
    (1, "ordinal", "1st"),
    (2, "ordinal", "2nd"),
    (3, "ordinal", "3rd"),
    (4, "ordinal", "4th"),
    (11, "ordinal", "11th"),
    (12, "ordinal", "12th"),
    (13, "ordinal", "13th"),
    (21, "ordinal", "21st"),
    (102, "ordinal", "102nd"),
    (111, "ordinal", "111th"),
    (3, "cardinalText", "Three"),
    (21, "cardinalText", "Twenty-one"),
    (1, "ordinalText", "First"),
    (12, "ordinalText", "Twelfth"),
    (21, "ordinalText", "Twenty-first"),
    (40, "ordinalText", "Fortieth"),
    (5, "bullet", ""),
    (5, "none", ""),
    (2, "decimalEnclosedParen", "(2)"),
    (3, "decimalEnclosedCircle", "\u2462"),
    (12, "decimalFullWidth", "\uff11\uff12"),
    (255, "hex", "FF"),
    (1, "chicago", "*"),
    (2, "chicago", "\u2020"),
    (5, "chicago", "**"),
    (7, "someFutureFormat", "7"),
]


@pytest.mark.parametrize(("value", "fmt", "shown"), FORMATS)
def test_every_number_format(value: int, fmt: str, shown: str):
    assert format_number(value, fmt) == shown


def numbering(xml: str) -> Numbering:
    return Numbering(etree.fromstring(f"<w:numbering {NS}>{xml}</w:numbering>"))


def labels(n: Numbering, sequence: list[tuple[str, int]]) -> list[str | None]:
    return [n.label(num_id, ilvl) for num_id, ilvl in sequence]


TREATY = abstract(
    1,
    level(0, "decimal", "Article %1", extra='<w:suff w:val="space"/>'),
    level(1, "decimal", "%2."),
    level(2, "lowerLetter", "(%3)"),
    level(3, "lowerRoman", "%4)", extra='<w:suff w:val="nothing"/>'),
)


def test_levels_patterns_and_restart_after_a_higher_level():
    n = numbering(TREATY + num(1, 1))
    assert labels(
        n,
        [("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 3), ("1", 1), ("1", 2), ("1", 0), ("1", 1)],
    ) == ["Article 1 ", "1. ", "(a) ", "(b) ", "i)", "2. ", "(a) ", "Article 2 ", "1. "]


def test_multi_level_text_and_legal_numbering():
    n = numbering(
        abstract(
            1,
            level(0, "upperRoman", "%1."),
            level(1, "lowerLetter", "%1.%2."),
            level(2, "lowerLetter", "%1.%2.%3", extra="<w:isLgl/>"),
        )
        + num(1, 1)
    )
    assert labels(n, [("1", 0), ("1", 1), ("1", 1), ("1", 2), ("1", 0), ("1", 1)]) == [
        "I. ",
        "I.a. ",
        "I.b. ",
        "1.2.1 ",
        "II. ",
        "II.a. ",
    ]


def test_start_values_and_a_level_used_before_its_parent():
    n = numbering(
        abstract(1, level(0, "decimal", "%1.", start=5), level(1, "decimal", "%1.%2", start=0))
        + num(1, 1)
    )
    # Word shows an unused parent level at its start value.
    assert labels(n, [("1", 1), ("1", 0), ("1", 1), ("1", 1)]) == ["5.0 ", "5. ", "5.0 ", "5.1 "]


def test_lvl_restart_never_and_after_a_given_level():
    n = numbering(
        abstract(
            1,
            level(0, "decimal", "%1."),
            level(1, "decimal", "%2.", extra='<w:lvlRestart w:val="0"/>'),
            level(2, "lowerLetter", "(%3)", extra='<w:lvlRestart w:val="1"/>'),
        )
        + num(1, 1)
    )
    assert labels(n, [("1", 1), ("1", 2), ("1", 0), ("1", 1), ("1", 2), ("1", 1), ("1", 2)]) == [
        "1. ",
        "(a) ",
        "1. ",
        "2. ",
        "(a) ",
        "3. ",
        "(b) ",
    ]


def test_instances_of_one_list_share_counters_and_a_start_override_restarts():
    overrides = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    n = numbering(
        TREATY
        + num(1, 1)
        + num(2, 1)
        + num(3, 1, overrides)
        + num(4, 1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride>')
    )
    assert labels(n, [("1", 0), ("2", 0), ("1", 0), ("3", 0), ("3", 0), ("1", 0), ("4", 0)]) == [
        "Article 1 ",
        "Article 2 ",
        "Article 3 ",
        "Article 1 ",
        "Article 2 ",
        "Article 3 ",
        "Article 10 ",
    ]


def test_a_level_override_replaces_the_level():
    override = '<w:lvlOverride w:ilvl="1">' + level(1, "upperLetter", "%2)") + "</w:lvlOverride>"
    n = numbering(TREATY + num(1, 1, override))
    assert labels(n, [("1", 0), ("1", 1), ("1", 1)]) == ["Article 1 ", "A) ", "B) "]


def test_bullets_none_and_missing_lists():
    n = numbering(
        abstract(1, level(0, "bullet", "\uf0b7"), level(1, "none", "%2"), level(2, "bullet", "o"))
        + num(1, 1)
    )
    assert labels(n, [("1", 0), ("1", 1), ("1", 2)]) == ["\u2022 ", "", "o "]
    assert n.label("0", 0) is None  # numId 0 switches numbering off
    assert n.label("99", 0) is None  # a list the file does not define
    assert numbering("").label("1", 0) is None
