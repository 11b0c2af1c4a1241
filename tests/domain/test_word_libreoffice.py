"""The exported .docx opened by a real word processor: LibreOffice converts it to flat ODF.

One soffice call converts three documents (module-scoped fixture, private profile directory):
the GPLv3 Discussion Draft 3 -> Last Call Draft redline with comments, the synthetic instrument
with every kind of change and comment, and a clean Last Call Draft.

What LibreOffice does with our revisions (observed with LibreOffice 7.4.7, Debian 12): it
merges adjacent revisions of the same kind by the same author and date into one
``text:changed-region`` (all of ours share author and date). An inserted run followed by an
inserted paragraph mark and an inserted run in the next paragraph is one region; a removed
provision (heading, text and every paragraph mark deleted) is one region. Plain text between two
revisions separates them, and so does a comment range end (Writer keeps it as a character in the
text); a comment range start does not. The last paragraph mark of the document carries no text
in Writer. So the invariant checked is exact: grouping the ``w:ins``/``w:del`` of document.xml by
that rule gives, in order, the same regions with the same kind and the same text as LibreOffice
reads, and the group sizes add up to `count_revisions`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict

import pytest
from lxml import etree

from redline.domain.word import clean_docx, count_revisions, redline_docx
from tests.domain.test_word import (
    NS,
    REV,
    W,
    gpl_changes,
    gpl_comments,
    label,
    part,
    read_blocks,
    read_para,
    run_text,
    synthetic_changes,
    synthetic_comments,
)

pytestmark = pytest.mark.slow

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
ODF = {"text": TEXT, "office": OFFICE, "dc": DC, "meta": META}
T, OF = f"{{{TEXT}}}", f"{{{OFFICE}}}"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: "
                    "apt-get install -y --no-install-recommends libreoffice-writer-nogui")
    gpl = gpl_changes()
    synthetic = synthetic_changes()
    gpl_notes, synthetic_notes = gpl_comments(gpl), synthetic_comments(synthetic)
    docs = {
        "gpl": (redline_docx("GNU General Public License version 3",
                             "Redline: Discussion Draft 3 → Last Call Draft", gpl, REV,
                             gpl_notes), gpl, gpl_notes),
        "synthetic": (redline_docx("Second Additional Protocol", "Redline: 1st → 2nd",
                                   synthetic, REV, synthetic_notes), synthetic, synthetic_notes),
        "clean": (clean_docx("GNU General Public License version 3", "Last Call Draft",
                             [c.after for c in gpl if c.after]), gpl, []),
    }
    tmp = tmp_path_factory.mktemp("word-lo")
    out = tmp / "out"
    files = []
    for name, (data, _, _) in docs.items():
        path = tmp / f"{name}.docx"
        path.write_bytes(data)
        files.append(str(path))
    cmd = [soffice, "--headless", "--norestore",
           f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
           "--convert-to", "fodt", "--outdir", str(out), *files]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    result = {}
    for name, (data, changes, comments) in docs.items():
        fodt = out / f"{name}.fodt"
        assert fodt.exists(), f"soffice did not convert {name}: {done.stdout}\n{done.stderr}"
        result[name] = (data, changes, comments, etree.parse(str(fodt)).getroot())
    return result


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
        info[region.get(T + "id")] = (kind, change.findtext("office:change-info/dc:creator",
                                                            namespaces=ODF),
                                      change.findtext("office:change-info/dc:date", namespaces=ODF))
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
    kinds = {r.get(T + "id"): etree.QName(r[0]).localname
             for r in root.iterfind(".//text:tracked-changes/text:changed-region", ODF)}
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
        found[body] = (el.findtext("dc:creator", namespaces=ODF),
                       el.findtext("meta:creator-initials", namespaces=ODF),
                       "".join(pieces[:-1]))
    return found


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
                items.append((etree.QName(child).localname,
                              "".join(run_text(r) for r in child.findall("w:r", NS))))
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


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", ["gpl", "synthetic"])
def test_libreoffice_reads_every_tracked_change(converted, name):
    data, _, _, root = converted[name]
    regions = lo_regions(root)
    groups = docx_groups(data)
    counts = count_revisions(data)
    # The group sizes account for every w:ins and w:del exactly once...
    assert sum(size for kind, _, size in groups if kind == "ins") == counts["ins"]
    assert sum(size for kind, _, size in groups if kind == "del") == counts["del"]
    # ...and LibreOffice reads exactly those groups, in order, with the same text.
    assert [(kind, text) for kind, text, _, _ in regions] == [(k, t) for k, t, _ in groups]
    assert len(regions) < counts["ins"] + counts["del"]  # merging did happen
    for _, _, creator, date in regions:
        assert creator == REV.author
        assert date == "2021-05-28T09:30:15"


def test_libreoffice_region_counts_gpl(converted):
    data, _, _, root = converted["gpl"]
    regions = lo_regions(root)
    n_ins = sum(k == "ins" for k, *_ in regions)
    n_del = sum(k == "del" for k, *_ in regions)
    assert len(root.findall(".//text:changed-region", ODF)) == n_ins + n_del
    assert n_ins == sum(k == "ins" for k, _, _ in docx_groups(data)) > 50
    assert n_del == sum(k == "del" for k, _, _ in docx_groups(data)) > 30


@pytest.mark.parametrize("name", ["gpl", "synthetic"])
def test_libreoffice_reads_the_comments(converted, name):
    data, changes, comments, root = converted[name]
    found = lo_annotations(root)
    by_id = {c.provision_id: c for c in changes}
    expected = {}
    for wc in comments:
        after = by_id[wc.provision_id].after
        if after is None:
            continue
        n = len(after.text)
        start = min(max(wc.start, 0), n)
        expected[wc.text] = (wc.author, wc.initials, after.text[start:min(max(wc.end, start), n)])
    stored = {c.get(W + "id"): "".join(c.itertext())
              for c in part(data, "word/comments.xml").findall("w:comment", NS)}
    _, blocks = read_blocks(data)
    for change, block in zip(changes, blocks, strict=True):
        if change.moved:  # the note sits on the heading, which reads as the newer heading
            (cid,) = block.heading.element.xpath("w:commentRangeStart/@w:id", namespaces=NS)
            expected[stored[cid]] = (REV.author, "TS", label(change.after))
    assert found == expected
    assert len(root.findall(".//office:annotation", ODF)) == len(expected)


def test_libreoffice_sees_the_heading_levels(converted):
    _, changes, _, root = converted["synthetic"]
    headings = root.findall("office:body/office:text/text:h", ODF)
    levels = [int(h.get(T + "outline-level")) for h in headings]
    assert levels == [1 if c.kind in ("preamble", "division", "annex") else 2 for c in changes]


def test_libreoffice_clean_text_has_no_changes(converted):
    _, changes, _, root = converted["clean"]
    assert root.findall(".//text:changed-region", ODF) == []
    assert root.findall(".//office:annotation", ODF) == []
    paragraphs: list[str] = []
    current: list[str] = []
    for event, value in body_events(root):
        if event == "text":
            current.append(value)
        elif event == "para":
            paragraphs.append("".join(current))
            current = []
    expected = ["GNU General Public License version 3", "Last Call Draft"]
    for change in changes:
        if change.after:
            expected.append(label(change.after))
            expected.extend(change.after.text.split("\n\n") if change.after.text else [])
    assert paragraphs == expected
