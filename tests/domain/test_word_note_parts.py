"""Notes and direction in the Word exports, read back from the OOXML (and by LibreOffice)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree

from redline.domain.drafts.paragraphs import ENDNOTE, Note
from redline.domain.export.word import Revision, clean_docx, redline_docx
from redline.domain.export.word_notes import auto_numbered, split_markers
from redline.domain.text.compare import Snapshot, compare
from redline.domain.text.redline import redline

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
W = f"{{{W_NS}}}"
REV = Revision("Secretariat", datetime(2021, 5, 28, 9, 30, tzinfo=UTC))


def snap(pid, vid, text, notes=(), direction="ltr", number=None):
    return Snapshot(
        pid, vid, number or f"Article {pid}", "", "article", pid, text, tuple(notes), direction
    )


OLD = [
    snap(
        1,
        1,
        "Parties shall act.[^1] More.[^2]",
        [Note("1", "First note."), Note("2", "Second note.")],
    ),
    snap(2, 2, "Text with an endnote.[^a]", [Note("a", "An endnote.", ENDNOTE)]),
    snap(3, 3, "نص عربي[^3]", [Note("3", "حاشية")], "rtl"),
]
NEW = [
    snap(
        1,
        4,
        "Parties shall act.[^1] More.[^2]",
        [Note("1", "First note, amended."), Note("2", "Second note.")],
    ),
    OLD[1],
    snap(3, 5, "نص عربي جديد[^3]", [Note("3", "حاشية")], "rtl"),
]


def _part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name)) if name in z.namelist() else None


def _read(el, accept: bool) -> str:
    """The text of an element as Word shows it after Accept All (or Reject All)."""
    out = []
    for node in el.iter():
        if node.tag in (W + "t", W + "delText"):
            inside_del = any(a.tag == W + "del" for a in node.iterancestors())
            inside_ins = any(a.tag == W + "ins" for a in node.iterancestors())
            if (accept and not inside_del) or (not accept and not inside_ins):
                out.append(node.text or "")
    return "".join(out)


def _notes(data: bytes, part: str, accept: bool = True) -> dict[str, str]:
    root = _part(data, part)
    tag = "footnote" if "foot" in part else "endnote"
    return {
        n.get(W + "id"): _read(n, accept).strip()
        for n in root.findall(f"w:{tag}", NS)
        if n.get(W + "type") is None
    }


def test_clean_export_writes_real_footnotes_and_endnotes_at_their_markers():
    data = clean_docx("Protocol", "Text", OLD)
    doc = _part(data, "word/document.xml")
    refs = doc.findall(".//w:footnoteReference", NS)
    # Footnote markers 1, 2, 3 read in order through the document: Word's own numbering.
    assert len(refs) == 3 and all(r.get(W + "customMarkFollows") is None for r in refs)
    assert list(_notes(data, "word/footnotes.xml").values()) == [
        "First note.",
        "Second note.",
        "حاشية",
    ]
    # An endnote carries its own mark.
    (eref,) = doc.findall(".//w:endnoteReference", NS)
    assert eref.get(W + "customMarkFollows") == "1"
    assert eref.getparent().find("w:t", NS).text == "a"
    assert list(_notes(data, "word/endnotes.xml").values()) == ["a An endnote."]
    # The marker text is gone from the body: the reference stands in its place.
    body = "".join(t.text for t in doc.iter(W + "t"))
    assert "[^" not in body and "Parties shall act. More." in body


def test_rtl_provisions_get_w_bidi():
    doc = _part(clean_docx("P", "", OLD), "word/document.xml")
    bidi = [p for p in doc.iter(W + "p") if p.find("w:pPr/w:bidi", NS) is not None]
    texts = ["".join(t.text for t in p.iter(W + "t")) for p in bidi]
    assert texts == ["Article 3", "نص عربي"]


def test_markers_that_are_not_one_two_three_are_written_as_custom_marks():
    data = clean_docx(
        "P", "", [snap(1, 1, "A.[^1]", [Note("1", "x")]), snap(2, 2, "B.[^1]", [Note("1", "y")])]
    )
    refs = _part(data, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert [r.get(W + "customMarkFollows") for r in refs] == ["1", "1"]
    assert auto_numbered([["1", "2", "3"]]) and not auto_numbered([["1", "1"]])


def test_redline_export_tracks_changes_inside_a_note():
    changes = compare(OLD, NEW, lambda b, a: redline(b.text, a.text))
    data = redline_docx("P", "", changes, REV)
    accepted = _notes(data, "word/footnotes.xml", accept=True)
    rejected = _notes(data, "word/footnotes.xml", accept=False)
    assert sorted(accepted.values()) == sorted(["First note, amended.", "Second note.", "حاشية"])
    assert sorted(rejected.values()) == sorted(["First note.", "Second note.", "حاشية"])
    root = _part(data, "word/footnotes.xml")
    (ins,) = root.findall(".//w:ins", NS)
    assert ins.get(W + "author") == "Secretariat"


def test_an_added_note_sits_at_an_inserted_marker_and_is_inserted_whole():
    before = [snap(1, 1, "Parties shall act.")]
    after = [snap(1, 2, "Parties shall act.[^1]", [Note("1", "New note.")])]
    data = redline_docx("P", "", compare(before, after, lambda b, a: redline(b.text, a.text)), REV)
    doc = _part(data, "word/document.xml")
    (ref,) = doc.findall(".//w:footnoteReference", NS)
    assert any(a.tag == W + "ins" for a in ref.iterancestors())
    assert list(_notes(data, "word/footnotes.xml", accept=True).values()) == ["New note."]
    assert list(_notes(data, "word/footnotes.xml", accept=False).values()) == [""]


def test_split_markers_only_splits_known_notes():
    assert split_markers("a[^1]b[^x]c", {"1"}) == [
        ("text", "a"),
        ("marker", "1"),
        ("text", "b[^x]c"),
    ]


def test_libreoffice_reads_the_notes_and_the_direction(tmp_path):
    soffice = "soffice"
    try:
        subprocess.run([soffice, "--version"], capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "clean.docx").write_bytes(clean_docx("P", "", OLD))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "fodt",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "clean.docx"),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    fodt = (tmp_path / "clean.fodt").read_text()
    notes = re.findall(r'<text:note text:id="[^"]+" text:note-class="(\w+)"', fodt)
    assert notes == ["footnote", "footnote", "endnote", "footnote"]
    assert "First note." in fodt and "An endnote." in fodt
    assert 'style:writing-mode="rl-tb"' in fodt


def test_the_clean_export_holds_no_tracked_change_even_in_its_notes():
    data = clean_docx("P", "", OLD)
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        root = _part(data, part)
        assert root.findall(".//w:ins", NS) == [] and root.findall(".//w:del", NS) == []
