"""What we read from a .docx, compared word for word with LibreOffice's rendering of it.

LibreOffice renders Word's automatic numbering as Word does, so its plain-text export
(`soffice --convert-to txt:Text`) is the ground truth for "the text Word shows". Normalised, and
only this: whitespace (LibreOffice indents list paragraphs and prints a table cell per line; we
keep a row per line with tab-separated cells), the byte-order mark it writes, and our note
markers `[^m]` (LibreOffice prints the bare mark `m`). Not compared here: tracked changes
(LibreOffice's text export prints deleted and inserted text alike) and computed fields
(LibreOffice recomputes PAGE and REF fields), and three numbering features LibreOffice 7.4 does
not apply as Word does: `isLgl`, `lvlRestart` and the "nothing" suffix (it always writes a
space); tests/domain/test_word_reading.py and test_word_numbering.py pin those.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from redline.domain.drafts.paragraphs import Note
from redline.domain.drafts.reading import parse_draft, source_paragraphs
from redline.domain.drafts.word.reading import read_word
from tests.docx_builders import (
    abstract,
    docx,
    level,
    note,
    note_ref,
    num,
    num_para,
    p,
    table,
)
from tests.domain.test_word_autonumbered import TEXTS, as_word
from tests.word_helpers import soffice_or_skip

pytestmark = pytest.mark.slow

LEGAL = (
    abstract(
        1,
        level(0, "upperRoman", "Chapter %1", extra='<w:suff w:val="space"/>'),
        level(1, "decimal", "Article %2", extra='<w:suff w:val="space"/>'),
        level(2, "decimal", "%2.%3."),
        level(3, "lowerLetter", "(%4)"),
        level(4, "lowerRoman", "%5)"),
        level(5, "decimalZero", "%6"),
        level(6, "upperLetter", "%7."),
        level(7, "ordinal", "%8"),
    )
    + num(1, 1)
    + num(2, 1, '<w:lvlOverride w:ilvl="3"><w:startOverride w:val="4"/></w:lvlOverride>')
)


def numbered() -> bytes:
    body = "".join(
        [
            num_para("Common provisions", 1, 0),
            num_para("Purpose", 1, 1),
            num_para("The purpose.", 1, 2),
            num_para("first", 1, 3),
            num_para("second", 1, 3),
            num_para("deeper", 1, 4),
            num_para("deeper still", 1, 4),
            num_para("legal", 1, 5),
            num_para("Scope", 1, 1),
            num_para("It applies.", 1, 2),
            num_para("restarted", 2, 3),
            num_para("Final provisions", 1, 0),
            num_para("Entry into force", 1, 1),
            num_para("letter", 1, 6),
            num_para("ordinal", 1, 7),
            num_para("ordinal", 1, 7),
        ]
    )
    return docx(body, numbering=LEGAL)


def noted() -> bytes:
    body = (
        p(
            "Text with a note",
            note_ref("footnote", 1),
            " and an end note",
            note_ref("endnote", 1),
            ".",
        )
        + p(
            "A second",
            note_ref("footnote", 2),
            " note and a custom one",
            note_ref("footnote", 3, "*"),
            ".",
        )
        + table(["Term", "Meaning"], ["data", "any representation"])
        + p(
            "<w:sdt><w:sdtContent><w:r><w:t>Inline control</w:t></w:r></w:sdtContent></w:sdt>",
            " and ",
            '<w:hyperlink r:id="rId77"><w:r><w:t>a link</w:t></w:r></w:hyperlink>.',
        )
    )
    feet = note("footnote", 1, "One.") + note("footnote", 2, "Two.") + note("footnote", 3, "C.")
    return docx(body, footnotes=feet, endnotes=note("endnote", 1, "End."))


HTML = """<html><body><h1>Agreement</h1><p>The Parties agree:</p>
<ol><li>First paragraph.<ol type="a"><li>point one;</li><li>point two.</li></ol></li>
<li>Second paragraph.</li></ol><ol type="I" start="3"><li>Third part</li></ol>
<table border="1"><tr><td>A1</td><td>B1</td></tr><tr><td>A2</td><td>B2</td></tr></table>
</body></html>"""


def styled_lists() -> bytes:
    """python-docx's template: numbering that comes from the List Number/Bullet styles."""
    import io

    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Heading one", style="Heading 1")
    for text, style in [
        ("first", "List Number"),
        ("second", "List Number"),
        ("bullet", "List Bullet"),
        ("deeper", "List Number 2"),
        ("third", "List Number"),
    ]:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def words(text: str) -> list[str]:
    return re.sub(r"\[\^([^\]]*)\]", r"\1", text.replace("\ufeff", "")).split()


def convert(soffice: str, sources: list[Path], target: str, out: Path, tmp: Path) -> None:
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )


def test_text_read_matches_libreoffice_word_for_word(tmp_path: Path):
    soffice = soffice_or_skip()
    (tmp_path / "listed.html").write_text(HTML)
    convert(soffice, [tmp_path / "listed.html"], "docx:MS Word 2007 XML", tmp_path, tmp_path)
    typed = parse_draft((TEXTS / "budapest_convention_2001_final.txt").read_text())
    files = {
        "numbered": numbered(),
        "noted": noted(),
        "budapest": as_word(source_paragraphs(typed), auto=True),
        "listed": (tmp_path / "listed.docx").read_bytes(),
        "styled": styled_lists(),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    out = tmp_path / "txt"
    convert(soffice, [tmp_path / f"{n}.docx" for n in files], "txt:Text", out, tmp_path)
    for name, data in files.items():
        ours = words("\n".join(x.text for x in read_word(data)[0]))
        theirs = words((out / f"{name}.txt").read_text(encoding="utf-8-sig"))
        assert ours == theirs, name
    listed = "\n".join(x.text for x in read_word(files["listed"])[0])
    assert "1. First paragraph." in listed and "III. Third part" in listed


def test_a_file_made_by_libreoffice(tmp_path: Path):
    """LibreOffice writes lists, notes, comments and tracked changes its own way (list levels
    with prefixes, comments without ranges); read them as Word would show them."""
    soffice = soffice_or_skip()
    source = Path(__file__).parent / "data" / "libreoffice_protocol.fodt"
    convert(soffice, [source], "docx", tmp_path, tmp_path)
    data = (tmp_path / "libreoffice_protocol.docx").read_bytes()
    head = [
        "Preamble",
        "Article 1 – Purpose",
        "1. The purpose of this Protocol[^1] is to supplement the Convention.",
        "(a) between the Parties;",
        "(b) with third States.",
        "Article 2 – Scope",
    ]
    accepted, extras = read_word(data, "accept")
    assert [x.text for x in accepted] == [*head, "1. Measures as are required to carry out."]
    rejected, _ = read_word(data, "reject")
    assert [x.text for x in rejected] == [*head, "1. Measures as may be necessary to carry out."]
    assert accepted[2].notes == (Note("1", "As amended."),)
    tracked = extras.tracked
    assert (tracked.insertions, tracked.deletions, tracked.comments) == (1, 1, 1)
    assert tracked.authors == ("Ana", "Ben", "Secretariat")
    (comment,) = extras.comments
    assert (comment.author, comment.body, comment.paragraph) == ("Secretariat", "Check.", 6)
