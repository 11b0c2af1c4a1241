"""Parsing drafts into provisions, checked on the real texts of redline/demo/texts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.drafts.headings import read_heading
from redline.domain.drafts.reading import (
    DraftError,
    ParsedDraft,
    parse_draft,
    read_draft,
    source_paragraphs,
)

TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"
FILES = sorted(TEXTS.glob("*.txt"))


def parse(name: str) -> ParsedDraft:
    return read_draft(name, (TEXTS / name).read_bytes())


def articles(parsed: ParsedDraft) -> list[tuple[str, str]]:
    return [(p.number, p.heading) for p in parsed.provisions if p.kind == "article"]


def kinds(parsed: ParsedDraft, kind: str) -> list[str]:
    return [f"{p.number} {p.heading}".strip() for p in parsed.provisions if p.kind == kind]


def test_the_demo_texts_are_all_there():
    assert len(FILES) == 17
    assert (TEXTS / "SOURCES.md").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_paragraph_is_kept_once_and_in_order(path: Path):
    raw = path.read_text(encoding="utf-8")
    header, _, body = raw.partition("\n\n")  # the format: header lines, a blank line, the text
    expected = body.rstrip("\n").split("\n\n")
    parsed = read_draft(path.name, path.read_bytes())

    assert source_paragraphs(parsed) == expected
    assert set(parsed.meta) == {"source", "date", "title"}
    assert parsed.meta["source"] == header.split("\n")[0].removeprefix("# source: ")
    for provision in parsed.provisions:
        assert provision.text == "\n\n".join(provision.paragraphs)
        assert provision.kind in {"preamble", "article", "division", "annex", "other"}
        assert all(p.strip() for p in provision.paragraphs)
        assert "EXCERPT" not in provision.text  # editorial markers are not provision text
        assert (provision.level > 0) == (provision.kind == "division")


GPL3_SECTIONS = [
    "Definitions",
    "Source Code",
    "Basic Permissions",
    "Protecting Users' Legal Rights From Anti-Circumvention Law",
    "Conveying Verbatim Copies",
    "Conveying Modified Source Versions",
    "Conveying Non-Source Forms",
    "Additional Terms",
    "Termination",
    "Acceptance Not Required for Having Copies",
    "Automatic Licensing of Downstream Recipients",
    "Patents",
    "No Surrender of Others' Freedom",
    "Use with the GNU Affero General Public License",
    "Revised Versions of this License",
    "Disclaimer of Warranty",
    "Limitation of Liability",
    "Interpretation of Sections 15 and 16",
]


def test_gpl3_final_outline():
    parsed = parse("GPL-3.0_2007-06-29.txt")
    assert articles(parsed) == [(str(i), h) for i, h in enumerate(GPL3_SECTIONS)]
    assert [(p.kind, p.heading) for p in parsed.provisions[:3]] == [
        ("preamble", "GNU GENERAL PUBLIC LICENSE"),
        ("preamble", "Preamble"),
        ("division", "TERMS AND CONDITIONS"),
    ]
    assert kinds(parsed, "division") == ["TERMS AND CONDITIONS", "END OF TERMS AND CONDITIONS"]
    assert kinds(parsed, "annex") == ["How to Apply These Terms to Your New Programs"]
    preamble = parsed.provisions[1]
    assert preamble.paragraphs[0].startswith("The GNU General Public License is a free")
    assert preamble.paragraphs[-1].startswith("The precise terms and conditions")
    section5 = next(p for p in parsed.provisions if p.number == "5")
    assert section5.heading_source == "5. Conveying Modified Source Versions."
    assert [p[:3] for p in section5.paragraphs[1:5]] == ["a) ", "b) ", "c) ", "d) "]


@pytest.mark.parametrize(
    ("name", "last", "headless"),
    [
        ("GPLv3_discussion-draft-1_2006-01-16.txt", 18, {"17", "18"}),
        ("GPLv3_discussion-draft-2_2006-07-27.txt", 17, set()),
        ("GPLv3_discussion-draft-3_2007-03-28.txt", 15, set()),
        ("GPLv3_last-call-draft_2007-05-31.txt", 17, set()),
        ("GPL-2.0_1991-06.txt", 12, {str(i) for i in range(13)}),
        ("GPL-1.0_1989-02.txt", 10, {str(i) for i in range(11)}),
    ],
)
def test_gpl_sections_are_numbered_in_sequence(name: str, last: int, headless: set[str]):
    found = articles(parse(name))
    assert [number for number, _ in found] == [str(i) for i in range(last + 1)]
    assert {number for number, heading in found if not heading} == headless


def test_gpl_draft_quirks():
    draft1 = parse("GPLv3_discussion-draft-1_2006-01-16.txt")
    # The draft's own bracket around section 13 is kept in the source, not in the heading.
    section13 = next(p for p in draft1.provisions if p.number == "13")
    assert (section13.heading, section13.heading_source) == (
        "Geographical Limitations",
        "[13. Geographical Limitations",
    )
    draft2 = parse("GPLv3_discussion-draft-2_2006-07-27.txt")
    section7 = next(p for p in draft2.provisions if p.number == "7")
    # "a. Additional Permissions." and the "0) ... 6)" list are subsections, not sections.
    assert "a. Additional Permissions." in section7.paragraphs
    assert any(p.startswith("6) terms that") for p in section7.paragraphs)
    assert "NO WARRANTY" in kinds(draft2, "division")
    last_call = parse("GPLv3_last-call-draft_2007-05-31.txt")
    assert kinds(last_call, "annex") == ["0 HOW TO APPLY THESE TERMS TO YOUR NEW PROGRAMS"]


def test_gpl2_headless_sections_keep_their_number_out_of_the_text():
    section0 = next(p for p in parse("GPL-2.0_1991-06.txt").provisions if p.number == "0")
    assert section0.run_in and section0.heading_source == "0. "
    assert section0.paragraphs[0].startswith("This License applies to any program")


BUDAPEST_SOME_ARTICLES = {
    1: "Definitions",
    2: "Illegal access",
    15: "Conditions and safeguards",
    18: "Production order",
    24: "Extradition",
    32: "Trans-border access to stored computer data with consent or where publicly available",
    35: "24/7 Network",
    48: "Notification",
}


def test_budapest_final_outline():
    parsed = parse("budapest_convention_2001_final.txt")
    found = articles(parsed)
    assert [n for n, _ in found] == [f"Article {i}" for i in range(1, 49)]
    for number, heading in BUDAPEST_SOME_ARTICLES.items():
        assert (f"Article {number}", heading) in found
    divisions = [p for p in parsed.provisions if p.kind == "division"]
    assert [p.number for p in divisions if p.level == 1] == [
        "CHAPTER I",
        "CHAPTER II",
        "CHAPTER III",
        "CHAPTER IV",
    ]
    assert sum(p.level == 2 for p in divisions) == 5  # SECTION 1-3 of II, SECTION 1-2 of III
    assert sum(p.level == 3 for p in divisions) == 17
    assert all(p.number.startswith("SECTION") for p in divisions if p.level == 2)
    assert all(p.number.startswith("TITLE") for p in divisions if p.level == 3)
    assert ("CHAPTER II", "MEASURES TO BE TAKEN AT THE NATIONAL LEVEL") in [
        (p.number, p.heading) for p in divisions
    ]
    first, last = parsed.provisions[0], parsed.provisions[-1]
    assert (first.kind, first.heading, first.paragraphs[-1]) == (
        "preamble",
        "Preamble",
        "Have agreed as follows:",
    )
    assert last.kind == "other" and last.text.startswith("IN WITNESS WHEREOF")
    assert len(parsed.provisions) == 1 + 48 + 26 + 1


def test_budapest_paragraph_numbers_stay_inside_their_articles():
    by_number = {p.number: p for p in parse("budapest_convention_2001_final.txt").provisions}
    article18 = by_number["Article 18"]
    assert article18.heading_source == "Article 18 – Production order"
    assert article18.paragraphs[0].startswith("1. Each Party shall adopt")
    assert article18.paragraphs[1].startswith("a) a person in its territory")
    assert any(p.startswith("2. 2 Such conditions") for p in by_number["Article 15"].paragraphs)
    assert by_number["Article 14"].paragraphs[5] == "3."  # a bare paragraph number
    assert any(p.startswith("(ii) ") for p in by_number["Article 1"].paragraphs)


CC4_SECTIONS = [
    "Definitions",
    "Scope",
    "License Conditions",
    "Sui Generis Database Rights",
    "Disclaimer of Warranties and Limitation of Liability",
    "Term and Termination",
    "Other Terms and Conditions",
    "Interpretation",
]


def test_cc_by_4_sections_and_nested_lists():
    parsed = parse("CC-BY-4.0_2013.txt")
    assert articles(parsed) == [(f"Section {i}", h) for i, h in enumerate(CC4_SECTIONS, 1)]
    scope = parsed.provisions[4]
    assert scope.heading_source == "Section 2 -- Scope."
    # "a." / "1." / "a." nesting stays inside Section 2, including run-in "2. Exceptions ...".
    assert [p[:3] for p in scope.paragraphs[:4]] == ["a. ", "1. ", "a. ", "b. "]
    assert scope.paragraphs[4].startswith("2. Exceptions and Limitations. For the avoidance")
    assert any(p.startswith("6. No endorsement.") for p in scope.paragraphs)
    assert [p.kind for p in parsed.provisions[:3]] == ["preamble"] * 3


CC3_SECTIONS = [
    "Definitions",
    "Fair Dealing Rights",
    "License Grant",
    "Restrictions",
    "Representations, Warranties and Disclaimer",
    "Limitation on Liability",
    "Termination",
    "Miscellaneous",
]


def test_cc_by_3_numbered_and_run_in_headings():
    parsed = parse("CC-BY-3.0_2007.txt")
    assert articles(parsed) == [(str(i), h) for i, h in enumerate(CC3_SECTIONS, 1)]
    run_in = {p.number for p in parsed.provisions if p.run_in}
    assert run_in == {"2", "3", "4", "6"}
    grant = next(p for p in parsed.provisions if p.number == "3")
    assert grant.heading_source == "3. License Grant. "
    assert grant.paragraphs[0].startswith("Subject to the terms and conditions")
    assert kinds(parsed, "other") == ["Creative Commons Notice"]


@pytest.mark.parametrize("name", ["CC-BY-1.0_2002.txt", "CC-BY-2.0_2004.txt", "CC-BY-2.5_2005.txt"])
def test_older_cc_by_have_sections_1_to_8(name: str):
    assert [n for n, _ in articles(parse(name))] == [str(i) for i in range(1, 9)]


def test_fragments_keep_editorial_markers_as_notes():
    draft19 = parse("budapest_convention_2000-04-25_draft19_preamble_fragment.txt")
    assert draft19.notes == ("[EXCERPT ENDS HERE - rest of document not retrieved]",)
    assert (
        draft19.provisions[-1].paragraphs[-1].endswith("detection, investigation and prosecution")
    )
    draft21 = parse("budapest_convention_2000-06-28_draft21_preamble_fragment.txt")
    preamble = draft21.provisions[-1]
    # Draft 21 has no "Preamble" heading: the recitals still form the preamble.
    assert (preamble.kind, preamble.heading, preamble.heading_source) == (
        "preamble",
        "Preamble",
        "",
    )
    assert preamble.paragraphs[0].startswith("The member States of the Council of Europe")

    variant = parse(
        "budapest_convention_undated_variant_wording_art18_art30-32_secondary_sources_fragment.txt"
    )
    assert len(variant.notes) == 2 and variant.notes[0].startswith("[Article 30, paragraph 2")
    assert [p.number for p in variant.provisions] == [
        "TITLE 3",
        "Article 18",
        "",
        "TITLE 2",
        "Article 31",
        "Article 32",
    ]
    # What follows "the excerpt begins here, mid-article" is not part of Article 18.
    gap = variant.provisions[2]
    assert gap.kind == "other" and gap.paragraphs[0].startswith("2. Disclosure of traffic data")


# The heading forms of real instruments, one paragraph each.
HEADING_FORMS = [
    ("Article 18 – Production order", "article", "Article 18", "Production order"),
    ("Article 18 - Production order", "article", "Article 18", "Production order"),
    ("Article 18 — Production order", "article", "Article 18", "Production order"),
    ("Article 18", "article", "Article 18", ""),
    ("ARTICLE 5: Scope", "article", "ARTICLE 5", "Scope"),
    (
        "CHAPTER II – MEASURES TO BE TAKEN AT THE NATIONAL LEVEL",
        "division",
        "CHAPTER II",
        "MEASURES TO BE TAKEN AT THE NATIONAL LEVEL",
    ),
    ("SECTION 1 – Substantive criminal law", "division", "SECTION 1", "Substantive criminal law"),
    ("TITLE 3 – Content-related offences", "division", "TITLE 3", "Content-related offences"),
    ("Section 1 -- Definitions.", "division", "Section 1", "Definitions"),
    ("Annex I – Model form", "annex", "Annex I", "Model form"),
    ("0. Definitions.", "numbered", "0", "Definitions"),
    ("1. Definitions", "numbered", "1", "Definitions"),
    ("17.", "numbered", "17", ""),
    (
        "2. Grant of Copyright License. Subject to the terms and conditions of this License, each "
        "Contributor hereby grants to You a perpetual license.",
        "numbered",
        "2",
        "Grant of Copyright License",
    ),
    (
        "0. This License applies to any program or other work which contains a notice.",
        "numbered",
        "0",
        "",
    ),
    ("## Article 1 – Purpose", "article", "Article 1", "Purpose"),
    ("Preamble", "preamble", "", "Preamble"),
    ("NO WARRANTY", "title", "", "NO WARRANTY"),
]


@pytest.mark.parametrize(("paragraph", "kind", "number", "heading"), HEADING_FORMS)
def test_heading_forms(paragraph: str, kind: str, number: str, heading: str):
    found = read_heading(paragraph)
    assert found is not None
    assert (found.kind, found.number, found.heading) == (kind, number, heading)
    assert found.source + (found.body or "") == paragraph


@pytest.mark.parametrize(
    "paragraph",
    [
        "a. reproduce and Share the Licensed Material, in whole or in part; and",
        "(i) any public or private entity that provides to users of its service",
        "a) the type of communication service used;",
        "Article 5 shall apply mutatis mutandis.",
        "Section 2(a)(1) grants You the right to extract, reuse, reproduce.",
        "1.1 Scope",
        "The member States of the Council of Europe and the other States signatory hereto,",
    ],
)
def test_text_that_is_not_a_heading(paragraph: str):
    assert read_heading(paragraph) is None


def doc(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


# Numbered paragraphs that must stay inside their provision: (document, numbers of provisions).
LIST_ITEMS = [
    (
        doc(
            "Article 1 – Purpose",
            "1. Subject to the terms and conditions of this Protocol, each Party shall act.",
            "2. Each Party shall report.",
            "Article 2 – Scope",
            "1. This Protocol applies.",
        ),
        ["Article 1", "Article 2"],
    ),
    (
        doc(
            "1. Definitions",
            "a. one.",
            "2. Scope.",
            "Text.",
            "3. Grant",
            "1. Subject to the terms and conditions, the licensor grants.",
            "2. Patent and trademark rights are not licensed under this Public License.",
            "4. Term",
        ),
        ["1", "2", "3", "4"],
    ),
    (
        doc(
            "0. Definitions.",
            "Text.",
            "1. Source Code.",
            "Text.",
            "2. Scope.",
            "1) first item;",
            "2) second item.",
            "3. Termination.",
        ),
        ["0", "1", "2", "3"],
    ),
    (
        doc(
            "1. Definitions",
            "Text.",
            "2. Scope",
            "Text; in particular:",
            "1. first,",
            "2. second,",
            "3. third, and",
            "4. fourth.",
            "3. Grant",
            "Text.",
        ),
        ["1", "2", "3"],
    ),
]


@pytest.mark.parametrize(("text", "numbers"), LIST_ITEMS)
def test_numbered_list_items_stay_inside_their_provision(text: str, numbers: list[str]):
    parsed = parse_draft(text)
    assert [p.number for p in parsed.provisions if p.kind == "article"] == numbers
    assert source_paragraphs(parsed) == text.strip().split("\n\n")


UNSEEN_TREATY = doc(
    "# title: Draft Protocol on Testing",
    "DRAFT PROTOCOL ON TESTING",
    "The States Parties to this Protocol,",
    "Recognising the need for tests;",
    "Have agreed as follows:",
    "CHAPTER I – GENERAL PROVISIONS",
    "Article 1 – Purpose",
    "1. The purpose of this Protocol is to enhance co-operation.",
    "a. between Parties; and",
    "b. with service providers.",
    "2. Each Party shall ensure that tests are run.",
    "Article 2",
    "Scope of application",
    "1. This Protocol applies to tests.",
    "CHAPTER II – FINAL PROVISIONS",
    "Article 3 – Entry into force",
    "This Protocol shall enter into force on the first day of the month.",
)


def test_an_instrument_never_seen_before():
    parsed = parse_draft(UNSEEN_TREATY)
    outline = [(p.kind, p.number, p.heading, len(p.paragraphs)) for p in parsed.provisions]
    assert outline == [
        ("preamble", "", "DRAFT PROTOCOL ON TESTING", 0),
        ("preamble", "", "Preamble", 3),
        ("division", "CHAPTER I", "GENERAL PROVISIONS", 0),
        ("article", "Article 1", "Purpose", 4),
        ("article", "Article 2", "Scope of application", 1),
        ("division", "CHAPTER II", "FINAL PROVISIONS", 0),
        ("article", "Article 3", "Entry into force", 1),
    ]
    assert parsed.meta == {"title": "Draft Protocol on Testing"}
    assert parsed.provisions[4].heading_source == "Article 2\n\nScope of application"
    assert source_paragraphs(parsed) == UNSEEN_TREATY.strip().split("\n\n")[1:]


def test_markdown_headings():
    text = (
        "# Draft Treaty\n\n## Preamble\n\nThe Parties,\n\n## Article 1: Purpose\n"
        "The purpose is testing.\n\n## Article 2 - Scope\n\n1. This applies.\n\n"
        "## Final clauses\n\nDone at Strasbourg.\n"
    )
    parsed = read_draft("draft.md", text.encode())
    assert parsed.meta == {}  # "# Draft Treaty" is a heading, not a key: value header
    assert [(p.kind, p.number, p.heading) for p in parsed.provisions] == [
        ("preamble", "", "Draft Treaty"),
        ("preamble", "", "Preamble"),
        ("article", "Article 1", "Purpose"),
        ("article", "Article 2", "Scope"),
        ("other", "", "Final clauses"),
    ]
    article1 = parsed.provisions[2]
    assert article1.run_in and article1.text == "The purpose is testing."
    assert source_paragraphs(parsed) == text.strip().split("\n\n")


def word_file() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Second Additional Protocol"
    document.add_paragraph("Draft Second Additional Protocol", style="Title")
    document.add_paragraph("Preamble", style="Heading 1")
    document.add_paragraph("The member States of the Council of Europe,")
    document.add_paragraph("Chapter I – Common provisions", style="Heading 1")
    document.add_paragraph("Article 1 – Purpose", style="Heading 2")
    document.add_paragraph("1. The purpose of this Protocol is to supplement the Convention.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Term",
        (0, 1): "Meaning",
        (1, 0): "subscriber information",
        (1, 1): "any information",
    }.items():
        table.cell(row, col).text = text
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Spans two columns"
    document.add_paragraph("Explanatory note", style="Heading 1")
    document.add_paragraph("This note explains.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_drafts():
    parsed = read_draft("Draft.DOCX", word_file())
    assert parsed.meta == {"title": "Second Additional Protocol"}
    assert [(p.kind, p.number, p.heading) for p in parsed.provisions] == [
        ("preamble", "", "Draft Second Additional Protocol"),
        ("preamble", "", "Preamble"),
        ("division", "Chapter I", "Common provisions"),
        ("article", "Article 1", "Purpose"),
        ("other", "", "Explanatory note"),
    ]
    # A table row is one paragraph of the article, its cells separated by a tab (the contract
    # of redline.domain.drafts.paragraphs), never read as a heading; a merged cell comes once.
    assert parsed.provisions[3].paragraphs == (
        "1. The purpose of this Protocol is to supplement the Convention.",
        "Term\tMeaning",
        "subscriber information\tany information",
        "Spans two columns",
    )


def not_a_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "a zip file, but not a Word document")
    return buffer.getvalue()


ERRORS = [
    ("draft.txt", "Article 1\n\nThe caf\xe9".encode("latin-1"), r"UTF-8.*0xE9.*offset 18"),
    ("draft.txt", b"Article 1\n\nText\x0cmore", r"\(U\+000C\) at line 3, column 5"),
    ("draft.txt", b"", r"empty"),
    ("draft.md", b"# title: Nothing yet\n# date: 2021-01-01\n\n\n", r"empty"),
    ("draft.txt", b"\n[EXCERPT ENDS HERE]\n", r"empty"),
    ("draft.pdf", b"%PDF-1.4", r"Unsupported file type \.pdf.*\.txt, \.md or \.docx"),
    ("draft", b"text", r"Unsupported file type \(no extension\)"),
    ("draft.doc", b"\xd0\xcf\x11\xe0", r"\.doc files cannot be read.*save the draft as \.docx"),
    ("draft.docx", b"not a zip file", r"\.docx file could not be read"),
    ("draft.docx", not_a_docx(), r"\.docx file could not be read"),
    ("draft.docx", word_file()[:400], r"\.docx file could not be read"),
]


@pytest.mark.parametrize(("name", "data", "message"), ERRORS)
def test_unreadable_drafts_are_refused_with_a_clear_message(name: str, data: bytes, message: str):
    with pytest.raises(DraftError, match=message):
        read_draft(name, data)
    assert issubclass(DraftError, ValueError)


def test_line_endings_bom_and_utf16_are_accepted():
    text = "Article 1 – Purpose\r\n\r\nThe purpose.\r\n"
    for data in (("\ufeff" + text).encode(), text.encode("utf-16")):
        parsed = read_draft("draft.txt", data)
        assert [(p.number, p.text) for p in parsed.provisions] == [("Article 1", "The purpose.")]


def test_header_only_at_the_very_top():
    parsed = parse_draft("# source: somewhere\n# date: 2020\n\nText.\n\n# note: not a header\n")
    assert parsed.meta == {"source": "somewhere", "date": "2020"}
    assert source_paragraphs(parsed) == ["Text.", "# note: not a header"]


SAMPLE_PARAGRAPHS = [
    "Article 1 – Purpose",
    "Article 2",
    "Scope",
    "CHAPTER I – GENERAL",
    "Section 1 -- Terms.",
    "0. Definitions.",
    "1. Definitions",
    "2. Grant of Rights. Text follows here.",
    "3.",
    "4",
    "1. Each Party shall act.",
    "a) an item;",
    "(i) a sub-item",
    "Preamble",
    "NO WARRANTY",
    "END OF TERMS AND CONDITIONS",
    "How to Apply These Terms",
    "The States Parties,",
    "IN WITNESS WHEREOF the undersigned signed.",
    "[EXCERPT ENDS HERE]",
    "Text [excerpt ends]",
    "## Article 3 – Heading",
    "Annex I",
    "Line one\nLine two",
    "Article 4 – Four\nBody text.",
]
paragraph_text = (
    st.text(
        st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff#"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(SAMPLE_PARAGRAPHS), paragraph_text), min_size=1, max_size=25)
)
def test_any_sequence_of_paragraphs_is_kept_whole(paragraphs: list[str]):
    if all(_is_note(p) for p in paragraphs):
        return  # nothing but editorial notes: an empty draft, refused
    parsed = parse_draft("\n\n".join(paragraphs))
    assert source_paragraphs(parsed) == paragraphs


def _is_note(paragraph: str) -> bool:
    return paragraph.startswith("[") and "EXCERPT" in paragraph.upper()
