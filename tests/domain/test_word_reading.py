"""Reading a .docx as Word shows it: containers, fields, tracked changes, tables, notes,
comments, direction, language, headings, what is not carried, and files that are refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from redline.domain.drafts.paragraphs import CELL, ENDNOTE, FOOTNOTE, HEADING, RTL, Note
from redline.domain.drafts.reading import DraftError, read_draft
from redline.domain.drafts.word.reading import read_word
from tests.docx_builders import (
    abstract,
    dele,
    docx,
    ins,
    level,
    note,
    note_ref,
    num,
    num_para,
    p,
    r,
    t,
    table,
)

FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> REF _Ref7 \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def texts(data: bytes, mode: str = "accept") -> list[str]:
    return [x.text for x in read_word(data, mode)[0]]


def test_text_inside_every_container_in_document_order():
    body = p(
        "See ",
        '<w:hyperlink r:id="rId99"><w:r><w:t>the Convention</w:t></w:r></w:hyperlink>',
        '<w:smartTag w:element="place">' + r(" in Budapest") + "</w:smartTag>",
        '<w:customXml w:element="x">' + r(", ") + "</w:customXml>",
        "<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent>"
        + r("as amended")
        + "</w:sdtContent></w:sdt>",
        " and ",
        '<w:fldSimple w:instr=" REF _Ref3 "><w:r><w:t>Article 3</w:t></w:r></w:fldSimple>',
        " and ",
        FIELD.format(result=r("Article 4")),
    )
    block_sdt = "<w:sdt><w:sdtContent>" + p("A block content control.") + "</w:sdtContent></w:sdt>"
    assert texts(docx(body + block_sdt)) == [
        "See the Convention in Budapest, as amended and Article 3 and Article 4",
        "A block content control.",
    ]


def test_nested_fields_show_only_the_outer_result_and_never_the_code():
    nested = FIELD.format(result=FIELD.format(result=r("inner")) + r(" outer"))
    assert texts(docx(p("x ", nested, " y"))) == ["x inner outer y"]


def test_tabs_breaks_hyphens_and_symbols():
    body = p(
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>co</w:t>"
        "<w:noBreakHyphen/><w:t>operation</w:t><w:softHyphen/>"
        '<w:sym w:font="Symbol" w:char="F0B1"/><w:sym w:font="Symbol" w:char="F061"/>'
        '<w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
    )
    paragraphs, extras = read_word(docx(body))
    assert [x.text for x in paragraphs] == ["a\tb\nc\nco\u2011operation\u00b1\u03b1"]
    assert extras.not_carried == {"symbols": 1}


MEASURES = p("measures as ", dele("may be necessary"), ins(r("are required")), " to carry out")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("accept", "measures as are required to carry out"),
        ("reject", "measures as may be necessary to carry out"),
    ],
)
def test_tracked_changes_show_one_side(mode: str, expected: str):
    paragraphs, extras = read_word(docx(MEASURES), mode)
    assert [x.text for x in paragraphs] == [expected]
    assert extras.tracked.insertions == 1 and extras.tracked.deletions == 1
    assert extras.tracked.authors == ("Ben", "Ana") and extras.tracked.resolved == mode


def test_moves_and_paragraph_marks():
    mark_del = '<w:rPr><w:del w:id="9" w:author="Ana" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    mark_ins = '<w:rPr><w:ins w:id="8" w:author="Ana" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    moved = (
        '<w:moveFromRangeStart w:id="20" w:name="move1" w:author="Cy" w:date="2026-01-01'
        'T00:00:00Z"/><w:moveFrom w:id="21" w:author="Cy" w:date="2026-01-01T00:00:00Z">'
        + r("Moved. ")
        + '</w:moveFrom><w:moveFromRangeEnd w:id="20"/>'
    )
    moved_to = (
        '<w:moveTo w:id="22" w:author="Cy" w:date="2026-01-01T00:00:00Z">'
        + r(" Moved.")
        + "</w:moveTo>"
    )
    body = (
        p(moved, "Joined ", ppr=mark_del)
        + p("with the next.", moved_to)
        + p(ins(r("A whole new paragraph.")), ppr=mark_ins)
        + p("Last.")
    )
    paragraphs, extras = read_word(docx(body), "accept")
    assert [x.text for x in paragraphs] == [
        "Joined with the next. Moved.",
        "A whole new paragraph.",
        "Last.",
    ]
    assert texts(docx(body), "reject") == ["Moved. Joined", "with the next.", "Last."]
    tracked = extras.tracked
    assert (tracked.insertions, tracked.deletions, tracked.moves) == (1, 1, 1)
    assert set(tracked.authors) == {"Ana", "Cy"}


def test_no_changes_means_nothing_resolved():
    assert read_word(docx(p("Plain.")))[1].tracked.resolved is None
    with pytest.raises(DraftError, match="accepted or rejected"):
        read_word(docx(p("Plain.")), "merge")


def test_numbered_paragraphs_deleted_on_accept_do_not_count():
    numbering = abstract(1, level(0, "decimal", "%1.")) + num(1, 1)
    gone = (
        '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:rPr><w:del w:id="5" '
        'w:author="A" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    )
    body = num_para("One.", 1) + p(dele("Gone.", ident=6), ppr=gone) + num_para("Two.", 1)
    assert texts(docx(body, numbering=numbering)) == ["1. One.", "2. Two."]
    assert texts(docx(body, numbering=numbering), "reject") == ["1. One.", "2. Gone.", "3. Two."]


def test_tables_rows_cells_merges_and_nesting():
    merged = '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + p("tall") + "</w:tc>"
    cont = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    nested = table(["in1", "in2"])
    body = (
        "<w:tbl><w:tr><w:tc>"
        + p("Term")
        + "</w:tc><w:tc>"
        + p("Mean")
        + p("ing")
        + "</w:tc></w:tr>"
        + "<w:tr>"
        + merged
        + "<w:tc>"
        + p("x")
        + "</w:tc></w:tr>"
        + "<w:tr>"
        + cont
        + "<w:tc>"
        + p("y")
        + nested
        + "</w:tc></w:tr>"
        + "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    )
    paragraphs, _ = read_word(docx(body))
    assert [(x.text, x.hint) for x in paragraphs] == [
        ("Term\tMean ing", CELL),
        ("tall\tx", CELL),
        ("\ty in1 in2", CELL),
    ]


def test_auto_numbered_headings_from_styles_via_based_on():
    styles = (
        '<w:style w:type="paragraph" w:styleId="ArticleBase"><w:name w:val="Art base"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Article"><w:name w:val="Article"/>'
        '<w:basedOn w:val="ArticleBase"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    )
    numbering = abstract(1, level(0, "decimal", "Article %1", extra='<w:suff w:val="space"/>'))
    numbering += num(1, 1)
    body = (
        p("Purpose", style="Article")
        + p("Text.")
        + p("Scope", style="Article")
        + p("Unnumbered", style="Article", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    paragraphs, _ = read_word(docx(body, styles=styles, numbering=numbering))
    assert [(x.text, x.hint, x.outline_level) for x in paragraphs] == [
        ("Article 1 Purpose", HEADING, 1),
        ("Text.", "", None),
        ("Article 2 Scope", HEADING, 1),
        ("Unnumbered", HEADING, 1),
    ]


def test_heading_hints_direction_and_language():
    styles = (
        '<w:style w:type="paragraph" w:styleId="Arabic"><w:name w:val="Arabic"/>'
        "<w:pPr><w:bidi/></w:pPr></w:style>"
    )
    body = (
        p("Draft", style="Title")
        + p("Chapter", style="Heading1")
        + p("Outlined", ppr='<w:outlineLvl w:val="2"/>')
        + p("Body", ppr='<w:outlineLvl w:val="9"/>')
        + p("المادة 1", style="Arabic")
        + p("نص", ppr="<w:bidi/>")
    )
    paragraphs, extras = read_word(docx(body, styles=styles, lang="fr-FR"))
    assert [(x.hint, x.outline_level, x.direction) for x in paragraphs] == [
        (HEADING, None, "ltr"),
        (HEADING, 0, "ltr"),
        (HEADING, 2, "ltr"),
        ("", None, "ltr"),
        ("", None, RTL),
        ("", None, RTL),
    ]
    assert extras.language == "fr-FR"


def test_footnotes_endnotes_formats_and_custom_marks():
    settings = (
        '<w:footnotePr><w:numFmt w:val="lowerLetter"/></w:footnotePr>'
        '<w:endnotePr><w:numFmt w:val="upperRoman"/><w:numStart w:val="3"/></w:endnotePr>'
    )
    body = p("One", note_ref("footnote", 1), " two", note_ref("endnote", 1)) + p(
        "Three", note_ref("footnote", 2, "\u2020"), note_ref("footnote", 3)
    )
    feet = (
        note("footnote", 1, "First.")
        + note("footnote", 2, "Dagger.")
        + '<w:footnote w:id="3"><w:p>'
        + r("Two")
        + "</w:p><w:p>"
        + r("lines.")
        + "</w:p></w:footnote>"
    )
    data = docx(body, footnotes=feet, endnotes=note("endnote", 1, "End."), settings=settings)
    paragraphs, _ = read_word(data)
    assert [x.text for x in paragraphs] == ["One[^a] two[^III]", "Three[^\u2020][^b]"]
    assert paragraphs[0].notes == (Note("a", "First.", FOOTNOTE), Note("III", "End.", ENDNOTE))
    assert paragraphs[1].notes == (
        Note("\u2020", "Dagger.", FOOTNOTE),
        Note("b", "Two\nlines.", FOOTNOTE),
    )
    plain = docx(
        p("x", note_ref("footnote", 1), note_ref("endnote", 1)),
        footnotes=note("footnote", 1, "F."),
        endnotes=note("endnote", 1, "E."),
    )
    assert texts(plain) == ["x[^1][^i]"]


def test_word_comments_with_their_passages():
    comments = (
        '<w:comment w:id="0" w:author="Secretariat" w:date="2026-02-01T09:00:00Z">'
        + p("Check this.")
        + "</w:comment>"
        '<w:comment w:id="1" w:author="Ana" w:date="">' + p("Gone.") + "</w:comment>"
    )
    body = (
        p("Intro.")
        + p(
            "The ",
            '<w:commentRangeStart w:id="0"/>',
            "Parties shall",
            '<w:commentRangeEnd w:id="0"/>',
            " act.",
        )
        + p(dele("old text", ident=7))
    )
    body = body.replace(
        dele("old text", ident=7),
        '<w:del w:id="7" w:author="Ben" w:date="2026-01-01T00:00:00Z"><w:commentRangeStart '
        'w:id="1"/><w:r><w:delText>old</w:delText></w:r><w:commentRangeEnd w:id="1"/></w:del>'
        + r("new"),
    )
    paragraphs, extras = read_word(docx(body, comments=comments))
    first, second = extras.comments
    assert (first.author, first.date, first.body, first.exact, first.paragraph) == (
        "Secretariat",
        "2026-02-01T09:00:00Z",
        "Check this.",
        "Parties shall",
        1,
    )
    assert second.exact == "" and extras.tracked.comments == 2
    assert "Secretariat" in extras.tracked.authors
    _, rejected = read_word(docx(body, comments=comments), "reject")
    assert rejected.comments[1].exact == "old" and rejected.comments[1].paragraph == 2


def test_what_is_not_carried_is_counted():
    drawing = (
        '<w:r><w:drawing><wp:inline><a:graphic><a:graphicData uri="http://schemas.'
        'openxmlformats.org/drawingml/2006/picture"><pic:pic/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx/>'
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox/></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    body = p(
        "Text",
        drawing,
        box,
        "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>",
        "<w:r><w:object/></w:r>",
        r("secret", "<w:vanish/>"),
    )
    _, extras = read_word(docx(body, header1=p("Header text")))
    assert extras.not_carried == {
        "embedded objects": 1,
        "equations": 1,
        "hidden text": 1,
        "images": 1,
        "text boxes": 1,
        "headers and footers": 1,
    }


def zipped(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_part(name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx(p("Text."))))
    members = {n: source.read(n) for n in source.namelist()}
    members[name] = data
    return zipped(members)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="http://'
    b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = BILLION_LAUGHS.replace(b'<!ENTITY lol "lol">', b'<!ENTITY lol SYSTEM "file:///etc/passwd">')

REFUSED = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted.*old Word .doc"),
    (b"PK\x03\x04 broken", "could not be read"),
    (zipped({"a.txt": b"hello"}), "could not be read"),
    (with_part("word/media/big.bin", b"\0" * (60 * 1024 * 1024)), "unpacks to more than 50 MB"),
    (with_part("word/media/bomb.bin", b"\0" * (20 * 1024 * 1024)), "compressed far beyond"),
    (with_part("word/document.xml", BILLION_LAUGHS), "document type declaration"),
    (with_part("word/document.xml", XXE), "document type declaration"),
    (with_part("word/document.xml", b"<w:document"), "could not be read"),
    (
        with_part(
            "word/document.xml",
            b'<w:document xmlns:w="http://purl.oclc.org/ooxml/'
            b'wordprocessingml/main"><w:body/></w:document>',
        ),
        "Strict Open XML",
    ),
]


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_refused_files_say_why(data: bytes, message: str):
    with pytest.raises(DraftError, match=message):
        read_draft("draft.docx", data)


def test_read_draft_carries_notes_and_extras_into_provisions():
    numbering = abstract(
        1,
        level(0, "decimal", "Article %1", extra='<w:suff w:val="space"/>'),
        level(1, "decimal", "%2."),
    ) + num(1, 1)
    body = (
        num_para("– Purpose", 1)
        + p(t("x"), note_ref("footnote", 1))
        .replace("<w:t", "<w:r><w:t")
        .replace("</w:t>", "</w:t></w:r>", 1)
        + num_para("– Scope", 1)
        + num_para("It applies.", 1, 1)
        + MEASURES
    )
    parsed = read_draft(
        "d.docx",
        docx(body, numbering=numbering, title="Protocol", footnotes=note("footnote", 1, "A note.")),
    )
    assert parsed.title == "Protocol"
    assert [(x.number, x.heading, x.paragraphs) for x in parsed.provisions] == [
        ("Article 1", "Purpose", ("x[^1]",)),
        ("Article 2", "Scope", ("1. It applies.", "measures as are required to carry out")),
    ]
    assert parsed.provisions[0].notes == (Note("1", "A note."),)
    assert parsed.word is not None and parsed.word.tracked.insertions == 1


def test_rows_and_cells_inside_content_controls_are_read():
    body = (
        "<w:tbl><w:sdt><w:sdtContent><w:tr><w:tc>" + p("a") + "</w:tc><w:sdt><w:sdtContent>"
        "<w:tc>" + p("b") + "</w:tc></w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt>"
        "</w:tbl>"
    )
    assert texts(docx(body)) == ["a\tb"]


def test_heading_numbering_linked_to_styles_and_list_styles():
    # Word's "Article 1 / 1.1" heading numbering: each level names its style (w:pStyle), the
    # styles carry only the numId; a second list takes its levels from a list style.
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="numbering" w:styleId="Points"><w:name w:val="Points"/>'
        '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
    )
    numbering = (
        abstract(
            1,
            level(
                0,
                "decimal",
                "Article %1",
                extra='<w:pStyle w:val="Heading1"/><w:suff w:val="space"/>',
            ),
            level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/>'),
        )
        + abstract(2, level(0, "lowerRoman", "(%1)"))
        + '<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="Points"/></w:abstractNum>'
        + num(1, 1)
        + num(2, 2)
        + num(3, 3)
    )
    body = (
        p("Scope", style="Heading1")
        + p("Terms", style="Heading2")
        + p("More", style="Heading2")
        + num_para("point", 3)
        + num_para("point", 3)
        + p("Rights", style="Heading1")
    )
    assert texts(docx(body, styles=styles.replace("\n", ""), numbering=numbering)) == [
        "Article 1 Scope",
        "1.1 Terms",
        "1.2 More",
        "(i) point",
        "(ii) point",
        "Article 2 Rights",
    ]


HOSTILE_NUMBERS = [
    # (numbering, paragraph properties) that must neither fail nor build huge strings
    (abstract(1, level(0, "lowerLetter", "%1.", start=999_999)) + num(1, 1), "0"),
    (
        abstract(
            1, level(0, "lowerLetter", "%1.").replace('w:val="1"', 'w:val="' + "9" * 5000 + '"', 1)
        )
        + num(1, 1),
        "0",
    ),
    (
        abstract(1, level(0, "decimal", "%1.", start=3).replace('w:val="3"', 'w:val="\u00b2"'))
        + num(1, 1),
        "0",
    ),
    (abstract(1, level(0, "decimal", "%1.")) + num(1, 1), "9" * 5000),
    (abstract(1, level(0, "decimal", "%1.")) + num(1, 1), "\u00b2"),
]


@pytest.mark.parametrize(("numbering", "ilvl"), HOSTILE_NUMBERS)
def test_hostile_numbers_are_read_safely(numbering: str, ilvl: str):
    body = p(
        "Text",
        ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr>'
        f'<w:outlineLvl w:val="{ilvl}"/>',
    )
    body += p(
        '<w:r><w:sym w:font="Arial" w:char="D800"/><w:sym w:font="Arial" w:char="-1"/>'
        '<w:sym w:font="Arial" w:char="' + "F" * 5000 + '"/><w:t>x</w:t></w:r>'
    )
    settings = f'<w:footnotePr><w:numStart w:val="{"9" * 5000}"/></w:footnotePr>'
    paragraphs, extras = read_word(docx(body, numbering=numbering, settings=settings))
    assert len(paragraphs[0].text) < 20 and paragraphs[1].text == "x"
    assert extras.not_carried == {"symbols": 3}


def test_ruby_and_unnamed_containers_keep_their_text():
    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>jōyaku</w:t></w:r></w:rt><w:rubyBase>"
        "<w:r><w:t>条約</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )
    future = "<w:futureWrapper>" + r(" text") + "</w:futureWrapper>"
    assert texts(docx(p(ruby, future))) == ["条約 text"]


def test_a_comment_in_a_table_row_points_at_that_row():
    comments = '<w:comment w:id="4" w:author="Ana" w:date="">' + p("Row two.") + "</w:comment>"
    cell = p('<w:commentRangeStart w:id="4"/>', "c", '<w:commentRangeEnd w:id="4"/>')
    body = p("Intro.") + table(["a", "b"], [cell, "d"]) + p("After.")
    _, extras = read_word(docx(body, comments=comments))
    assert [(c.exact, c.paragraph) for c in extras.comments] == [("c", 2)]
