"""Word export with real tracked changes: checks on the OOXML itself (no Word, no LibreOffice).

The document is read back the way Word would apply "Accept All" and "Reject All": accepting
keeps plain and inserted runs and drops deleted ones, and a deleted paragraph mark joins its
paragraph to the next; rejecting does the opposite. Both views must give back, provision by
provision, exactly the newer and the older text. The helpers here are also used by
test_word_libreoffice.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

import redline
from redline.domain.export.word import (
    Revision,
    WordComment,
    clean_docx,
    count_revisions,
    heading_label,
    heading_ops,
    redline_docx,
)
from redline.domain.text.compare import ProvisionChange, Snapshot, compare
from redline.domain.text.redline import redline as word_diff

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
W = f"{{{W_NS}}}"
TEXTS = Path(redline.__file__).parent / "demo" / "texts"
REV = Revision("T-CY Secretariat", datetime(2021, 5, 28, 9, 30, 15, tzinfo=UTC))
WHEN = datetime(2021, 6, 1, 14, 0, tzinfo=UTC)
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# --------------------------------------------------------------------------- test data


def diff(before: Snapshot, after: Snapshot):
    return word_diff(before.text, after.text)


def snap(pid, vid, number, heading, kind, position, text):
    return Snapshot(pid, vid, number, heading, kind, position, text)


def synthetic_changes() -> list[ProvisionChange]:
    """A small instrument exercising every case: renumbering, new heading, move, removal,
    addition, paragraph split and join, line breaks, text appearing in or vanishing from a
    provision, a division, the preamble, and text that needs escaping."""
    before = [
        snap(
            1,
            11,
            "",
            "",
            "preamble",
            0,
            "The member States of the Council of Europe,\n\nConsidering the aim;",
        ),
        snap(2, 21, "Chapter I", "Use of terms", "division", 1, ""),
        snap(
            3,
            31,
            "Article 1",
            "Definitions",
            "article",
            2,
            'For the purposes of this Protocol:\n\na "central authority" means an authority;\n'
            'b "competent authority" means a judicial authority.',
        ),
        snap(
            4,
            41,
            "Article 2",
            "Scope",
            "article",
            3,
            "This Protocol applies to <script>alert(1)</script> & co.",
        ),
        snap(5, 51, "Article 3", "Old provision", "article", 4, "To be deleted.\n\nEntirely."),
        snap(6, 61, "Article 4", "Language", "article", 5, "Requests shall be made in English."),
        snap(
            7,
            71,
            "Article 5",
            "Direct disclosure",
            "article",
            6,
            "Each Party shall adopt measures.\n\nParagraph two.\n\nParagraph three goes.",
        ),
        snap(11, 111, "Article 7", "Reservations", "article", 7, ""),
        snap(12, 121, "Article 8", "Final", "article", 8, "Something to drop."),
    ]
    after = [
        before[0],
        snap(2, 22, "Chapter I", "Common provisions", "division", 1, ""),
        snap(
            3,
            32,
            "Article 1",
            "Definitions",
            "article",
            2,
            'For the purposes of this Protocol: a "central authority" means an authority;\n\n'
            'b "competent authority" means a judicial or other authority.',
        ),
        snap(6, 62, "Article 2", "Language", "article", 3, "Requests shall be made in English."),
        snap(
            4,
            42,
            "Article 3",
            "Scope of application",
            "article",
            4,
            "This Protocol applies to <script>alert(2)</script> & co.\n\nA new paragraph.",
        ),
        snap(
            8,
            81,
            "Article 4",
            "Requests for information",
            "article",
            5,
            "A Party may request.\n\nSecond paragraph.",
        ),
        snap(9, 91, "Chapter II", "Measures", "division", 6, ""),
        snap(
            7,
            72,
            "Article 6",
            "Direct disclosure of subscriber information",
            "article",
            7,
            "Each Party shall adopt legislative measures.\n\nParagraph three goes, changed.",
        ),
        snap(11, 112, "Article 7", "Reservations", "article", 8, "No reservation may be made."),
        snap(12, 122, "Article 8", "Final", "article", 9, ""),
    ]
    return compare(before, after, diff)


def synthetic_comments(changes: Sequence[ProvisionChange]) -> list[WordComment]:
    by_id = {c.provision_id: c for c in changes}
    scope = by_id[4].after.text
    art6 = by_id[7].after.text

    def at(pid, text, passage, body, who="Ana Civil", initials="AC"):
        start = text.index(passage)
        return WordComment(pid, start, start + len(passage), who, initials, body, WHEN)

    return [
        at(4, scope, "<script>alert(2)</script>", "Escape <this> & that"),
        # across a paragraph break and into inserted text
        at(4, scope, "co.\n\nA new", "Spans two paragraphs", "Dana Protection", "DP"),
        WordComment(4, 5, 5, "Point", "P", "A point comment", WHEN),
        at(7, art6, "legislative", "Inside an insertion", "Ian Dustry", "ID"),
        at(8, by_id[8].after.text, "request.\n\nSecond", "Starts and ends inside an insertion"),
        at(7, art6, "shall adopt legislative measures", "Around an insertion"),
        WordComment(5, 0, 5, "Gone", "G", "On a removed provision: left out", WHEN),
        WordComment(3, 10, 10_000, "Clamp", "C", "Runs past the end: clamped", WHEN),
    ]


_GPL_HEAD = re.compile(r"^(\d+\.) (.+)$")


def gpl_provisions(filename: str) -> list[tuple[str, str, str, str, str]]:
    """(key, kind, number, heading, text) for each provision of a GPLv3 draft text file.

    "0. Definitions." and the like are articles keyed by their number; the Preamble, the
    "TERMS AND CONDITIONS" lines (divisions) and the how-to-apply appendix (an annex, numbered
    "0." in the Last Call Draft only) are keyed by name; the blocks before the Preamble are the
    title matter, headed by the licence name.
    """
    raw = (TEXTS / filename).read_text(encoding="utf-8")
    text = raw.split("\n\n", 1)[1]  # the "# source/date/title" lines, then a blank line
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    provisions: list[list] = []
    for block in blocks:
        m = _GPL_HEAD.match(block)
        if "how to apply these terms" in block.lower() and len(block) < 80:
            number, heading = (m[1], m[2]) if m else ("", block)
            provisions.append(["apply", "annex", number, heading, []])
        elif m and len(block) < 80:
            provisions.append([m[1], "article", m[1], m[2], []])
        elif block == "Preamble":
            provisions.append(["preamble", "preamble", "", "Preamble", []])
        elif block.endswith("TERMS AND CONDITIONS"):
            provisions.append([block, "division", "", block, []])
        elif not provisions:
            provisions.append(["front", "other", "", block, []])
        else:
            provisions[-1][4].append(block)
    return [(k, kind, num, head, "\n\n".join(paras)) for k, kind, num, head, paras in provisions]


def gpl_changes() -> list[ProvisionChange]:
    """GPLv3 Discussion Draft 3 (2007-03-28) -> Last Call Draft (2007-05-31), by provision."""
    old = gpl_provisions("GPLv3_discussion-draft-3_2007-03-28.txt")
    new = gpl_provisions("GPLv3_last-call-draft_2007-05-31.txt")
    ids: dict[str, int] = {}
    for key, *_ in old + new:
        ids.setdefault(key, len(ids) + 1)
    before = [snap(ids[k], 1000 + i, n, h, kind, i, t) for i, (k, kind, n, h, t) in enumerate(old)]
    after = [snap(ids[k], 2000 + i, n, h, kind, i, t) for i, (k, kind, n, h, t) in enumerate(new)]
    return compare(before, after, diff)


def gpl_comments(changes: Sequence[ProvisionChange]) -> list[WordComment]:
    out = []
    wanted = [
        ("0.", "Copyright", "Does this include database rights?", "Ana Civil", "AC"),
        ("3.", "technological measure", "Industry view: too broad.", "Ian Dustry", "ID"),
        ("11.", "essential patent claims", "Define by reference to section 0.", "Dana P", "DP"),
    ]
    for number, passage, body, who, initials in wanted:
        change = next(c for c in changes if c.after and c.after.number == number)
        start = change.after.text.index(passage)
        out.append(
            WordComment(change.provision_id, start, start + len(passage), who, initials, body, WHEN)
        )
    return out


# --------------------------------------------------------------------------- reading back


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        if child.tag in (W + "t", W + "delText"):
            out.append(child.text or "")
        elif child.tag == W + "br":
            out.append("\n")
        elif child.tag == W + "tab":
            out.append("\t")
    return "".join(out)


@dataclass
class Para:
    style: str
    accept: str
    reject: str
    mark: str | None  # "ins", "del" or None
    element: etree._Element = field(repr=False)


def read_para(p: etree._Element) -> Para:
    style = p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)
    mark = None
    for tag in ("ins", "del"):
        if p.find(f"w:pPr/w:rPr/w:{tag}", NS) is not None:
            mark = tag
    accept, reject = [], []
    for child in p:
        if child.tag == W + "r":
            t = run_text(child)
            accept.append(t)
            reject.append(t)
        elif child.tag == W + "ins":
            accept.extend(run_text(r) for r in child.findall("w:r", NS))
        elif child.tag == W + "del":
            reject.extend(run_text(r) for r in child.findall("w:r", NS))
    return Para(style, "".join(accept), "".join(reject), mark, p)


@dataclass
class Block:
    heading: Para
    body: list[Para]

    def text(self, view: str) -> str:
        """The provision text after "Accept All" (view "accept") or "Reject All" ("reject")."""
        gone = "del" if view == "accept" else "ins"
        out = []
        for i, para in enumerate(self.body):
            out.append(getattr(para, view))
            if i < len(self.body) - 1 and para.mark != gone:
                out.append("\n\n")
        return "".join(out)


def read_blocks(data: bytes) -> tuple[list[Para], list[Block]]:
    """The front paragraphs (title, subtitle) and one Block per heading paragraph."""
    body = part(data, "word/document.xml").find("w:body", NS)
    front: list[Para] = []
    blocks: list[Block] = []
    for p in body.findall("w:p", NS):
        para = read_para(p)
        if para.style.startswith("Heading"):
            blocks.append(Block(para, []))
        elif blocks:
            blocks[-1].body.append(para)
        else:
            front.append(para)
    return front, blocks


def label(s: Snapshot | None) -> str:
    return heading_label(s.number, s.heading, s.kind) if s else ""


def expected_counts(changes: Sequence[ProvisionChange], comments: Sequence[WordComment] = ()):
    """How many w:ins and w:del the document must hold, from the changes alone.

    - heading line: one element per insert/delete op of `heading_ops` (whole old number
      deleted and new one inserted; the heading itself diffed word by word);
    - text: one element per non-empty piece of an insert/delete op between paragraph breaks,
      plus one inserted/deleted paragraph mark per "\\n\\n" inside the op;
    - a paragraph mark that closes a heading or a body is inserted when the heading (text) is
      new, deleted when it is gone;
    - a comment boundary strictly inside an inserted piece splits its w:ins in two.
    """
    bounds: dict[int, set[int]] = defaultdict(set)
    by_id = {c.provision_id: c for c in changes}
    for wc in comments:
        change = by_id.get(wc.provision_id)
        if change and change.after:
            n = len(change.after.text)
            start = min(max(wc.start, 0), n)
            bounds[wc.provision_id] |= {start, min(max(wc.end, start), n)}
    n_ins = n_del = 0
    for change in changes:
        hops = heading_ops(change.before, change.after)
        n_ins += sum(k == "insert" for k, _ in hops)
        n_del += sum(k == "delete" for k, _ in hops)
        old_label, new_label = label(change.before), label(change.after)
        n_ins += bool(new_label and not old_label)
        n_del += bool(old_label and not new_label)
        offset = 0
        for kind, text in change.ops:
            for i, piece in enumerate(text.split("\n\n")):
                if i:
                    n_ins += kind == "insert"
                    n_del += kind == "delete"
                    offset += 2 if kind != "delete" else 0
                if not piece:
                    continue
                if kind == "insert":
                    inside = range(offset + 1, offset + len(piece))
                    n_ins += 1 + len(bounds[change.provision_id] & set(inside))
                n_del += kind == "delete"
                offset += len(piece) if kind != "delete" else 0
        old = change.before.text if change.before else ""
        new = change.after.text if change.after else ""
        n_ins += bool(new and not old)
        n_del += bool(old and not new)
    return {"ins": n_ins, "del": n_del}


def assert_round_trip(data: bytes, changes: Sequence[ProvisionChange]) -> None:
    """Accept All gives every newer text back, Reject All every older one, provision by
    provision, headings included."""
    _, blocks = read_blocks(data)
    assert len(blocks) == len(changes)
    for block, change in zip(blocks, changes, strict=True):
        assert block.heading.accept == label(change.after), change.provision_id
        assert block.heading.reject == label(change.before), change.provision_id
        assert block.text("accept") == (change.after.text if change.after else "")
        assert block.text("reject") == (change.before.text if change.before else "")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def synthetic():
    changes = synthetic_changes()
    comments = synthetic_comments(changes)
    plain = redline_docx("Second Additional Protocol", "Redline: 1st → 2nd", changes, REV)
    commented = redline_docx(
        "Second Additional Protocol", "Redline: 1st → 2nd", changes, REV, comments
    )
    return changes, comments, plain, commented


@pytest.fixture(scope="module")
def gpl():
    changes = gpl_changes()
    comments = gpl_comments(changes)
    data = redline_docx(
        "GNU General Public License version 3",
        "Redline: Discussion Draft 3 → Last Call Draft",
        changes,
        REV,
        comments,
    )
    return changes, comments, data


# --------------------------------------------------------------------------- tests


def test_the_test_data_covers_every_case(synthetic):
    changes = synthetic[0]
    status = {c.provision_id: c.status for c in changes}
    assert status[1] == "unchanged" and status[5] == "removed" and status[8] == "added"
    assert any(c.renumbered for c in changes) and any(c.reheaded for c in changes)
    assert any(c.moved for c in changes)
    ops = [op for c in changes for op in c.ops]
    assert any(k == "insert" and "\n\n" in t for k, t in ops)
    assert any(k == "delete" and "\n\n" in t for k, t in ops)


@pytest.mark.parametrize("which", ["plain", "commented", "gpl"])
def test_accept_all_and_reject_all_rebuild_both_texts(synthetic, gpl, which):
    changes = synthetic[0] if which != "gpl" else gpl[0]
    data = {"plain": synthetic[2], "commented": synthetic[3], "gpl": gpl[2]}[which]
    assert_round_trip(data, changes)


@pytest.mark.parametrize("which", ["plain", "commented", "gpl"])
def test_no_change_lost_or_doubled(synthetic, gpl, which):
    changes, comments, data = {
        "plain": (synthetic[0], (), synthetic[2]),
        "commented": (synthetic[0], synthetic[1], synthetic[3]),
        "gpl": gpl,
    }[which]
    assert count_revisions(data) == expected_counts(changes, comments)


def test_gpl_counts_are_not_trivial(gpl):
    counts = count_revisions(gpl[2])
    assert counts["ins"] > 100 and counts["del"] > 50


@pytest.mark.parametrize("which", ["commented", "gpl"])
def test_ids_unique_and_apart_from_comment_ids(synthetic, gpl, which):
    data = synthetic[3] if which == "commented" else gpl[2]
    doc = part(data, "word/document.xml")
    rev_ids = [int(x) for x in doc.xpath("//w:ins/@w:id | //w:del/@w:id", namespaces=NS)]
    assert len(rev_ids) == len(set(rev_ids)) == sum(count_revisions(data).values())
    comment_ids = {
        int(x) for x in part(data, "word/comments.xml").xpath("//w:comment/@w:id", namespaces=NS)
    }
    assert comment_ids and not comment_ids & set(rev_ids)
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        used = [int(x) for x in doc.xpath(f"//w:{tag}/@w:id", namespaces=NS)]
        assert sorted(used) == sorted(comment_ids), tag


@pytest.mark.parametrize("which", ["commented", "gpl"])
def test_every_revision_has_author_and_date(synthetic, gpl, which):
    data = synthetic[3] if which == "commented" else gpl[2]
    revisions = part(data, "word/document.xml").xpath("//w:ins | //w:del", namespaces=NS)
    assert revisions
    for el in revisions:
        assert el.get(W + "author") == "T-CY Secretariat"
        assert el.get(W + "date") == "2021-05-28T09:30:15Z"
        assert DATE_RE.match(el.get(W + "date"))


def test_deleted_text_in_deltext_inserted_in_t(gpl):
    doc = part(gpl[2], "word/document.xml")
    assert doc.xpath("count(//w:del//w:t)", namespaces=NS) == 0
    assert doc.xpath("count(//w:delText[not(ancestor::w:del)])", namespaces=NS) == 0
    deltexts = doc.xpath("//w:delText", namespaces=NS)
    assert deltexts
    for t in deltexts + doc.xpath("//w:ins//w:t", namespaces=NS):
        assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    # run-level revisions wrap runs; paragraph-mark revisions are empty
    for el in doc.xpath("//w:p/w:ins | //w:p/w:del", namespaces=NS):
        assert len(el) and all(child.tag == W + "r" for child in el)
    for el in doc.xpath("//w:pPr/w:rPr/w:ins | //w:pPr/w:rPr/w:del", namespaces=NS):
        assert len(el) == 0


def test_escaping_and_invalid_characters():
    before = [snap(1, 1, "Article 1", "A < B & C", "article", 0, "x <b>old</b> & y")]
    after = [
        snap(
            1,
            2,
            "Article 1",
            "A < B & C",
            "article",
            0,
            "x <script>alert('&amp;')</script> & y\x0b\x00",
        )
    ]
    added = [snap(2, 3, "Article 2", "<script>&", "article", 1, "<script>alert(1)</script>&")]
    # The op texts carry the invalid characters on purpose: they must be stripped, not crash.
    changes = compare(before, after + added, diff)
    data = redline_docx("T <&>", "S", changes, REV)
    raw = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<script" not in raw and "<b>" not in raw and "\x0b" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;</w:t>" in raw
    assert "&amp;amp;" in raw
    _, blocks = read_blocks(data)
    assert blocks[0].heading.accept == "Article 1 – A < B & C"
    assert blocks[0].text("accept") == "x <script>alert('&amp;')</script> & y"
    assert blocks[0].text("reject") == "x <b>old</b> & y"
    assert blocks[1].heading.accept == "Article 2 – <script>&"
    assert read_blocks(data)[0][0].accept == "T <&>"


def test_renumbering_is_a_deleted_and_an_inserted_number(synthetic):
    changes, _, data, _ = synthetic
    _, blocks = read_blocks(data)
    i = next(i for i, c in enumerate(changes) if c.provision_id == 6)  # Article 4 -> Article 2
    assert changes[i].renumbered and not changes[i].reheaded
    p = blocks[i].heading.element
    assert [run_text(r) for r in p.xpath("w:del/w:r", namespaces=NS)] == ["Article 4"]
    assert [run_text(r) for r in p.xpath("w:ins/w:r", namespaces=NS)] == ["Article 2"]
    assert [run_text(r) for r in p.xpath("w:r[w:t]", namespaces=NS)] == [" – Language"]
    assert blocks[i].heading.mark is None


def test_changed_heading_is_tracked_word_by_word(synthetic):
    changes, _, data, _ = synthetic
    _, blocks = read_blocks(data)
    i = next(i for i, c in enumerate(changes) if c.provision_id == 7)
    p = blocks[i].heading.element
    assert [run_text(r) for r in p.xpath("w:del/w:r", namespaces=NS)] == ["Article 5"]
    assert [run_text(r) for r in p.xpath("w:ins/w:r", namespaces=NS)] == [
        "Article 6",
        " of subscriber information",
    ]
    assert heading_ops(changes[i].before, changes[i].after) == [
        ("delete", "Article 5"),
        ("insert", "Article 6"),
        ("equal", " – Direct disclosure"),
        ("insert", " of subscriber information"),
    ]


def test_added_and_removed_provisions_carry_their_paragraph_marks(synthetic):
    changes, _, data, _ = synthetic
    _, blocks = read_blocks(data)
    for change, block in zip(changes, blocks, strict=True):
        paras = [block.heading, *block.body]
        if change.status == "added":
            assert all(p.mark == "ins" and p.reject == "" for p in paras)
        elif change.status == "removed":
            assert all(p.mark == "del" and p.accept == "" for p in paras)
            assert len(block.body) == 2  # "To be deleted." / "Entirely."
        else:
            assert block.heading.mark is None
    by_pid = {c.provision_id: b for c, b in zip(changes, blocks, strict=True)}
    assert [p.mark for p in by_pid[11].body] == ["ins"]  # text where there was none
    assert [p.mark for p in by_pid[12].body] == ["del"]  # text gone, provision kept
    # Article 6: "Paragraph two." deleted with its mark; Article 1: a paragraph break moved
    # "Paragraph two." deleted: its mark is deleted, so accepting joins it to the next one
    assert [p.mark for p in by_pid[7].body] == [None, "del", None]
    # Article 1: a paragraph break replaced by a space, a line break by a paragraph break
    assert [p.mark for p in by_pid[3].body] == ["del", "ins", None]


def test_line_breaks_become_w_br(synthetic):
    changes, _, data, _ = synthetic
    doc = part(data, "word/document.xml")
    assert doc.xpath("count(//w:br)", namespaces=NS) >= 1
    assert "\n" not in "".join(doc.xpath("//w:t/text() | //w:delText/text()", namespaces=NS))


def test_heading_structure(synthetic):
    changes, _, data, _ = synthetic
    front, blocks = read_blocks(data)
    assert [(p.style, p.accept) for p in front] == [
        ("RedlineTitle", "Second Additional Protocol"),  # based on Title: see Writer.front
        ("RedlineSubtitle", "Redline: 1st → 2nd"),
    ]
    styles = {c.provision_id: b.heading.style for c, b in zip(changes, blocks, strict=True)}
    assert styles[1] == styles[2] == styles[9] == "Heading1"  # preamble, chapters
    assert styles[3] == styles[7] == "Heading2"  # articles
    assert blocks[0].heading.accept == "Preamble"


def test_track_revisions_is_on(synthetic):
    settings = part(synthetic[2], "word/settings.xml")
    names = [etree.QName(c).localname for c in settings]
    assert "trackRevisions" in names
    # schema order: after w:proofState, before w:defaultTabStop
    assert names.index("proofState") < names.index("trackRevisions") < names.index("defaultTabStop")


def test_comments_in_comments_xml_and_anchored(synthetic):
    changes, comments, _, data = synthetic
    stored = part(data, "word/comments.xml").findall("w:comment", NS)
    texts = {"".join(c.itertext()): c for c in stored}
    kept = [c for c in comments if c.provision_id != 5]
    moved = [c for c in changes if c.moved]
    assert len(stored) == len(kept) + len(moved)
    for wc in kept:
        el = texts[wc.text]
        assert el.get(W + "author") == wc.author and el.get(W + "initials") == wc.initials
        assert el.get(W + "date") == "2021-06-01T14:00:00Z"
    note = next(t for t in texts if t.startswith("Moved:"))
    assert texts[note].get(W + "author") == REV.author

    # The accepted text between commentRangeStart and commentRangeEnd is the quoted passage.
    body = part(data, "word/document.xml").find("w:body", NS)
    spans: dict[str, list[str]] = defaultdict(list)
    open_ids: set[str] = set()
    for p in body.findall("w:p", NS):
        for child in p:
            cid = child.get(W + "id")
            if child.tag == W + "commentRangeStart":
                open_ids.add(cid)
            elif child.tag == W + "commentRangeEnd":
                open_ids.discard(cid)
            elif child.tag in (W + "r", W + "ins"):
                t = run_text(child) if child.tag == W + "r" else "".join(run_text(r) for r in child)
                for i in open_ids:
                    spans[i].append(t)
        if not read_para(p).mark == "del":
            for i in open_ids:
                spans[i].append("\n\n")
    by_text = {"".join(c.itertext()): c.get(W + "id") for c in stored}
    by_pid = {c.provision_id: c for c in changes}
    for wc in kept:
        text = by_pid[wc.provision_id].after.text
        start = min(wc.start, len(text))
        assert "".join(spans[by_text[wc.text]]) == text[start : min(wc.end, len(text))], wc.text
    # the comment marks sit between runs, never inside a tracked change
    assert not body.xpath(
        "//w:ins/w:commentRangeStart | //w:ins/w:commentRangeEnd | //w:ins/w:r/w:commentReference",
        namespaces=NS,
    )


def test_moved_provision_is_noted_in_a_comment_on_its_heading(synthetic):
    changes, _, data, _ = synthetic
    _, blocks = read_blocks(data)
    moved = [(c, b) for c, b in zip(changes, blocks, strict=True) if c.moved]
    assert moved
    notes = {
        c.get(W + "id"): "".join(c.itertext())
        for c in part(data, "word/comments.xml").findall("w:comment", NS)
    }
    assert [c.provision_id for c, _ in moved] == [6]
    for _, block in moved:
        ids = block.heading.element.xpath("w:commentRangeStart/@w:id", namespaces=NS)
        assert len(ids) == 1
        assert notes[ids[0]] == (
            "Moved: in the earlier text this provision followed Article 3 – Old provision."
        )
    no_notes = redline_docx("T", "S", changes, REV, note_moves=False)
    with zipfile.ZipFile(io.BytesIO(no_notes)) as zf:
        assert "word/comments.xml" not in zf.namelist()


def test_python_docx_reads_it_back(synthetic):
    document = docx.Document(io.BytesIO(synthetic[3]))
    assert document.paragraphs[0].text == "Second Additional Protocol"
    assert len(list(document.comments)) >= 5
    props = document.core_properties
    assert props.title == "Second Additional Protocol" and props.author == REV.author
    assert props.created == props.modified == REV.date.replace(microsecond=0)


def test_clean_docx_has_one_text_and_no_markup(gpl):
    changes = gpl[0]
    after = [c.after for c in changes if c.after]
    data = clean_docx("GNU GPL", "Last Call Draft, 31 May 2007", list(reversed(after)))
    assert count_revisions(data) == {"ins": 0, "del": 0}
    assert part(data, "word/settings.xml").find("w:trackRevisions", NS) is None
    front, blocks = read_blocks(data)
    assert [p.accept for p in front] == ["GNU GPL", "Last Call Draft, 31 May 2007"]
    assert len(blocks) == len(after)  # sorted back into position order
    for snapshot, block in zip(after, blocks, strict=True):
        assert block.heading.accept == label(snapshot)
        assert block.text("accept") == snapshot.text == block.text("reject")


def test_naive_dates_and_inconsistent_ops_are_refused():
    changes = compare(
        [snap(1, 1, "Article 1", "A", "article", 0, "old")],
        [snap(1, 2, "Article 1", "A", "article", 0, "new")],
        diff,
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        redline_docx("T", "S", changes, Revision("x", datetime(2021, 1, 1)))
    broken = [
        ProvisionChange(
            1, "changed", "article", changes[0].before, changes[0].after, (("equal", "old"),)
        )
    ]
    with pytest.raises(ValueError, match="do not rebuild"):
        redline_docx("T", "S", broken, REV)
