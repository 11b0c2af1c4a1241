"""One provision title format (issue 15): the compare page, the provision page and Word agree."""

import pytest

from redline.domain.text.titles import heading_label
from redline.models import Version


@pytest.mark.parametrize(
    ("number", "heading", "kind", "label"),
    [
        ("Article 6", "Direct disclosure", "article", "Article 6 – Direct disclosure"),
        ("0", "Additional Definitions", "article", "0. Additional Definitions"),
        ("12", "Scope", "article", "12. Scope"),
        ("0.", "Definitions", "article", "0. Definitions"),
        ("a)", "Terms", "other", "a) Terms"),
        ("Article 6", "", "article", "Article 6"),
        ("", "Final clauses", "division", "Final clauses"),
        ("", "", "preamble", "Preamble"),
        ("", "", "article", ""),
    ],
)
def test_heading_label(number, heading, kind, label):
    assert heading_label(number, heading, kind) == label


@pytest.mark.parametrize(
    ("number", "heading"), [("0", "Additional Definitions"), ("Article 6", "X"), ("0.", "D")]
)
def test_version_title_is_the_heading_label(number, heading):
    v = Version(number=number, heading=heading, kind="article")
    assert v.title == heading_label(number, heading, "article")


def test_untitled():
    assert Version(number="", heading="", kind="article").title == "(untitled)"
