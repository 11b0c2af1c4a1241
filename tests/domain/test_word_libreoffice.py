"""The exported .docx opened by a real word processor: LibreOffice converts it to flat ODF.

One soffice call converts three documents (module-scoped fixture, private profile directory):
the GPLv3 Discussion Draft 3 -> Last Call Draft redline with comments, the synthetic instrument
with every kind of change and comment, and a clean Last Call Draft.

LibreOffice merges adjacent revisions into ``text:changed-region``s (the rule, and the readers,
are in tests/word_helpers.py). So the invariant checked is exact: grouping the
``w:ins``/``w:del`` of document.xml by that rule gives, in order, the same regions with the same
kind and the same text as LibreOffice reads, and the group sizes add up to `count_revisions`.
"""

from __future__ import annotations

import pytest

from redline.domain.export.word import clean_docx, count_revisions, redline_docx
from tests.domain.test_word import (
    NS,
    REV,
    W,
    gpl_changes,
    gpl_comments,
    label,
    part,
    read_blocks,
    synthetic_changes,
    synthetic_comments,
)
from tests.word_helpers import (
    ODF,
    T,
    convert_to_fodt,
    docx_groups,
    lo_annotations,
    lo_regions,
    paragraphs,
    soffice_or_skip,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    soffice = soffice_or_skip()
    gpl = gpl_changes()
    synthetic = synthetic_changes()
    gpl_notes, synthetic_notes = gpl_comments(gpl), synthetic_comments(synthetic)
    docs = {
        "gpl": (
            redline_docx(
                "GNU General Public License version 3",
                "Redline: Discussion Draft 3 → Last Call Draft",
                gpl,
                REV,
                gpl_notes,
            ),
            gpl,
            gpl_notes,
        ),
        "synthetic": (
            redline_docx(
                "Second Additional Protocol", "Redline: 1st → 2nd", synthetic, REV, synthetic_notes
            ),
            synthetic,
            synthetic_notes,
        ),
        "clean": (
            clean_docx(
                "GNU General Public License version 3",
                "Last Call Draft",
                [c.after for c in gpl if c.after],
            ),
            gpl,
            [],
        ),
    }
    roots = convert_to_fodt(
        soffice, {name: doc[0] for name, doc in docs.items()}, tmp_path_factory.mktemp("word-lo")
    )
    return {name: (*doc, roots[name]) for name, doc in docs.items()}


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
        expected[wc.text] = (wc.author, wc.initials, after.text[start : min(max(wc.end, start), n)])
    stored = {
        c.get(W + "id"): "".join(c.itertext())
        for c in part(data, "word/comments.xml").findall("w:comment", NS)
    }
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
    expected = ["GNU General Public License version 3", "Last Call Draft"]
    for change in changes:
        if change.after:
            expected.append(label(change.after))
            expected.extend(change.after.text.split("\n\n") if change.after.text else [])
    assert paragraphs(root) == expected
