"""Reading Word exports back as a real word processor does: LibreOffice converts .docx files to
flat ODF (.fodt) in one soffice call, and these readers compare what it read with document.xml.

Shared by tests/domain/test_word_libreoffice.py (documents built from pure data) and
tests/views/test_word_exports_libreoffice.py (documents downloaded from the app). The .docx
side uses the readers of tests/domain/test_word.py.

What LibreOffice does with our revisions (observed with LibreOffice 7.4.7, Debian 12): it
merges adjacent revisions of the same kind by the same author and date into one
``text:changed-region`` (all of ours share author and date). An inserted run followed by an
inserted paragraph mark and an inserted run in the next paragraph is one region; a removed
provision (heading, text and every paragraph mark deleted) is one region. Plain text between two
revisions separates them, and so does a comment range end (Writer keeps it as a character in the
text); a comment range start does not. The last paragraph mark of the document carries no text
in Writer. `docx_groups` computes those groups from document.xml; `lo_regions` reads the regions
LibreOffice made.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from lxml import etree

from tests.domain.test_word import NS, W, part, read_para, run_text

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
ODF = {"text": TEXT, "office": OFFICE, "dc": DC, "meta": META}
T, OF = f"{{{TEXT}}}", f"{{{OFFICE}}}"

INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer-nogui"


# --------------------------------------------------------------------------- converting


def soffice_or_skip() -> str:
    """The soffice executable, or skip the calling test (module) saying how to install it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(f"LibreOffice (soffice) not installed: {INSTALL_HINT}")
    return soffice


def convert_to_fodt(soffice: str, docs: dict[str, bytes], tmp: Path) -> dict[str, etree._Element]:
    """Write each document as `tmp`/<name>.docx and convert them all to flat ODF in one soffice
    call (starting LibreOffice costs far more than a conversion), with a private profile so no
    other LibreOffice running on the machine is disturbed; name -> the parsed .fodt root."""
    out = tmp / "out"
    files = []
    for name, data in docs.items():
        path = tmp / f"{name}.docx"
        path.write_bytes(data)
        files.append(str(path))
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
        "--convert-to",
        "fodt",
        "--outdir",
        str(out),
        *files,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    roots = {}
    for name in docs:
        fodt = out / f"{name}.fodt"
        assert fodt.exists(), f"soffice did not convert {name}: {done.stdout}\n{done.stderr}"
        roots[name] = etree.parse(str(fodt)).getroot()
    return roots


# --------------------------------------------------------------------------- reading ODF


def inline_events(el):
    """Events of a paragraph's content in order: text, change and annotation markers."""
    if el.text:
        yield ("text", el.text)
    for child in el:
        tag = child.tag
        if tag == T + "s":
            yield ("text", " " * int(child.get(T + "c", "1")))
        elif tag == T + "tab":
            yield ("text", "\t")
        elif tag == T + "line-break":
            yield ("text", "\n")
        elif tag == T + "change-start":
            yield ("start", child.get(T + "change-id"))
        elif tag == T + "change-end":
            yield ("end", child.get(T + "change-id"))
        elif tag == T + "change":
            yield ("point", child.get(T + "change-id"))
        elif tag == OF + "annotation":
            yield ("annotation", child)  # its own paragraphs are the comment, not the text
        elif tag == OF + "annotation-end":
            yield ("annotation-end", child.get(OF + "name"))
        elif tag in (T + "span", T + "a"):
            yield from inline_events(child)
        if child.tail:
            yield ("text", child.tail)


def body_events(root):
    body = root.find("office:body/office:text", ODF)
    for el in body:
        if el.tag in (T + "p", T + "h"):
            yield from inline_events(el)
            yield ("para", None)
        else:
            assert el.tag in (T + "tracked-changes", T + "sequence-decls"), el.tag


def lo_regions(root) -> list[tuple[str, str, str, str]]:
    """(kind, text, creator, date) of each changed region, in the order it starts in the text."""
    info = {}
    for region in root.iterfind(".//text:tracked-changes/text:changed-region", ODF):
        change = region[0]
        kind = {"insertion": "ins", "deletion": "del"}.get(etree.QName(change).localname, "?")
        info[region.get(T + "id")] = (
            kind,
            change.findtext("office:change-info/dc:creator", namespaces=ODF),
            change.findtext("office:change-info/dc:date", namespaces=ODF),
        )
    texts: dict[str, list[str]] = defaultdict(list)
    order: list[str] = []
    active: list[str] = []
    for event, value in body_events(root):
        if event in ("start", "point"):
            order.append(value)
            texts[value]  # noqa: B018 - a point change has no text
            if event == "start":
                active.append(value)
        elif event == "end":
            active.remove(value)
        elif event in ("text", "para"):
            for rid in active:
                texts[rid].append(value if event == "text" else "\n")
    assert set(order) == set(info), "every region is anchored in the text exactly once"
    assert len(order) == len(set(order))
    return [(info[r][0], "".join(texts[r]), info[r][1], info[r][2]) for r in order]


def lo_annotations(root) -> dict[str, tuple[str, str, str]]:
    """comment text -> (creator, initials, the newer text it is anchored on)."""
    kinds = {
        r.get(T + "id"): etree.QName(r[0]).localname
        for r in root.iterfind(".//text:tracked-changes/text:changed-region", ODF)
    }
    deleting: list[str] = []
    spans: dict[str, list[str]] = {}
    found: dict[str, tuple[str, str, str]] = {}
    names: dict[str, etree._Element] = {}
    for event, value in body_events(root):
        if event == "start" and kinds[value] == "deletion":
            deleting.append(value)
        elif event == "end" and value in deleting:
            deleting.remove(value)
        elif event == "annotation":
            names[value.get(OF + "name")] = value
            spans[value.get(OF + "name")] = []
        elif event == "annotation-end":
            spans[value].append("\0end")
        elif event in ("text", "para") and not deleting:
            for pieces in spans.values():
                if not pieces or pieces[-1] != "\0end":
                    pieces.append(value if event == "text" else "\n\n")
    for name, el in names.items():
        body = "\n".join("".join(p.itertext()) for p in el.iterfind("text:p", ODF))
        pieces = spans[name]
        assert pieces and pieces[-1] == "\0end", f"annotation {name} has no end"
        found[body] = (
            el.findtext("dc:creator", namespaces=ODF),
            el.findtext("meta:creator-initials", namespaces=ODF),
            "".join(pieces[:-1]),
        )
    return found


def paragraphs(root) -> list[str]:
    """The text of each paragraph and heading of the body (tables aside), in order."""
    out: list[str] = []
    current: list[str] = []
    for event, value in body_events(root):
        if event == "text":
            current.append(value)
        elif event == "para":
            out.append("".join(current))
            current = []
    return out


# --------------------------------------------------------------------------- expected


def docx_groups(data: bytes) -> list[tuple[str, str, int]]:
    """Revisions of document.xml grouped as LibreOffice merges them: (kind, text, size).

    Adjacent w:ins (w:del) elements, inserted (deleted) paragraph marks counting as "\\n", form
    one group unless plain text or a comment range end lies between them.
    """
    body = part(data, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    items: list[tuple[str, str] | None] = []
    for p in paragraphs:
        for child in p:
            if child.tag == W + "r" and run_text(child):
                items.append(None)
            elif child.tag in (W + "ins", W + "del"):
                items.append(
                    (
                        etree.QName(child).localname,
                        "".join(run_text(r) for r in child.findall("w:r", NS)),
                    )
                )
            elif child.tag == W + "commentRangeEnd":
                items.append(None)
        mark = read_para(p).mark
        # The last paragraph mark of a document cannot be deleted or inserted in Writer: its
        # revision still counts (and joins the group before it) but adds no text.
        items.append((mark, "\n" if p is not paragraphs[-1] else "") if mark else None)
    groups: list[list] = []
    previous = None
    for item in items:
        if item is not None:
            if previous is not None and previous[0] == item[0]:
                groups[-1][1] += item[1]
                groups[-1][2] += 1
            else:
                groups.append([item[0], item[1], 1])
        previous = item
    return [tuple(g) for g in groups]


def docx_comments(data: bytes) -> dict[str, tuple[str, str, str]]:
    """comment text (its paragraphs joined by "\\n") -> (author, initials, the text its range
    covers once every change is accepted), read from comments.xml and document.xml."""
    stored = part(data, "word/comments.xml").findall("w:comment", NS)
    body = part(data, "word/document.xml").find("w:body", NS)
    spans: dict[str, list[str]] = defaultdict(list)
    open_ids: set[str] = set()
    for p in body.findall("w:p", NS):
        for child in p:
            cid = child.get(W + "id")
            if child.tag == W + "commentRangeStart":
                open_ids.add(cid)
                spans[cid]  # noqa: B018 - a point comment covers no text
            elif child.tag == W + "commentRangeEnd":
                open_ids.discard(cid)
            elif child.tag in (W + "r", W + "ins"):
                runs: Sequence = [child] if child.tag == W + "r" else child.findall("w:r", NS)
                for i in open_ids:
                    spans[i].append("".join(run_text(r) for r in runs))
        if read_para(p).mark != "del":
            for i in open_ids:
                spans[i].append("\n\n")
    return {
        "\n".join("".join(q.itertext()) for q in c.findall("w:p", NS)): (
            c.get(W + "author"),
            c.get(W + "initials"),
            "".join(spans[c.get(W + "id")]),
        )
        for c in stored
    }
