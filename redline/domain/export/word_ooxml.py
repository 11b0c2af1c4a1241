"""Raw WordprocessingML that python-docx has no API for: tracked changes and comment anchors.

Everything here builds lxml elements with `docx.oxml.OxmlElement`/`qn`, so text is escaped by
lxml (``<``, ``&`` come out right). Text must still be free of characters XML 1.0 cannot carry;
`xml_text` strips them (input is validated upstream, this is a defence, not a feature).

The element shapes follow ECMA-376 Part 1, section 17.13.5 (revisions):

- an insertion is ``<w:ins w:id w:author w:date><w:r><w:t>..</w:t></w:r></w:ins>``;
- a deletion is ``<w:del ...><w:r><w:delText>..</w:delText></w:r></w:del>``;
- an inserted or deleted paragraph mark is ``<w:pPr><w:rPr><w:ins .../></w:rPr></w:pPr>``
  (``w:del`` for a deleted one): accepting a deleted mark joins the paragraph to the next one.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Characters XML 1.0 cannot carry, plus the carriage return (Word would render it as a stray
# mark; provision text uses "\n" only).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PIECES = re.compile(r"\n|\t|[^\n\t]+")

# count_revisions may be handed a file from elsewhere: no entities, no network, no huge trees.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

INSERT, DELETE, EQUAL = "insert", "delete", "equal"


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 (and Word) cannot hold."""
    return _NOT_XML.sub("", text)


def w_date(when: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: the form Word writes in w:date."""
    if when.tzinfo is None:
        raise ValueError("revision and comment dates must be timezone-aware (UTC)")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_run(text: str, *, deleted: bool = False):
    """One ``w:r`` holding `text`: "\\n" becomes ``w:br``, "\\t" ``w:tab``, the rest ``w:t``.

    Deleted text goes in ``w:delText`` (Word ignores ``w:t`` inside ``w:del``).
    """
    r = OxmlElement("w:r")
    tag = "w:delText" if deleted else "w:t"
    for piece in _PIECES.findall(xml_text(text)):
        if piece == "\n":
            r.append(OxmlElement("w:br"))
        elif piece == "\t":
            r.append(OxmlElement("w:tab"))
        else:
            t = OxmlElement(tag)
            t.text = piece
            t.set(XML_SPACE, "preserve")
            r.append(t)
    return r


def _attrs(rev_id: int, author: str, date: str) -> dict[str, str]:
    return {qn("w:id"): str(rev_id), qn("w:author"): xml_text(author), qn("w:date"): date}


def tracked_run(kind: str, text: str, rev_id: int, author: str, date: str):
    """A ``w:ins`` (kind "insert") or ``w:del`` (kind "delete") wrapping one run of `text`."""
    tag = "w:ins" if kind == INSERT else "w:del"
    wrapper = OxmlElement(tag, attrs=_attrs(rev_id, author, date))
    wrapper.append(make_run(text, deleted=kind == DELETE))
    return wrapper


def mark_paragraph(p, kind: str, rev_id: int, author: str, date: str) -> None:
    """Track the paragraph mark of ``w:p`` `p` as inserted or deleted."""
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        # w:rPr comes after the other paragraph properties, before w:sectPr/w:pPrChange.
        successor = next((c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))), None)
        if successor is None:
            ppr.append(rpr)
        else:
            successor.addprevious(rpr)
    tag = "w:ins" if kind == INSERT else "w:del"
    rpr.insert(0, OxmlElement(tag, attrs=_attrs(rev_id, author, date)))


def comment_range_start(comment_id: int):
    return OxmlElement("w:commentRangeStart", attrs={qn("w:id"): str(comment_id)})


def comment_range_end(comment_id: int):
    return OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): str(comment_id)})


def comment_reference_run(comment_id: int):
    """The run carrying the comment's mark in the text, placed right after its range end."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    r.append(rpr)
    r.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(comment_id)}))
    return r


# Children of w:settings that the schema puts before w:trackRevisions (ECMA-376 CT_Settings);
# Word rejects settings.xml whose children are out of order.
_BEFORE_TRACK_REVISIONS = frozenset(
    qn(f"w:{name}")
    for name in (
        "writeProtection view zoom removePersonalInformation removeDateAndTime "
        "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
        "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
        "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
        "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
        "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView"
    ).split()
)


def enable_track_revisions(settings) -> None:
    """Switch "Track Changes" on in settings.xml, so edits made later in Word are tracked too."""
    element = settings.element
    if element.find(qn("w:trackRevisions")) is not None:
        return
    index = 0
    for i, child in enumerate(element):
        if child.tag in _BEFORE_TRACK_REVISIONS:
            index = i + 1
    element.insert(index, OxmlElement("w:trackRevisions"))


def count_revisions(docx_bytes: bytes) -> dict[str, int]:
    """Tracked changes in word/document.xml: {"ins": n, "del": n}.

    Every ``w:ins`` and ``w:del`` element counts once, the run-level ones and those marking a
    paragraph mark alike; this is the number of revision elements Word reads.
    """
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"), parser=_SAFE_PARSER)
    ns = {"w": W_NS}
    return {
        "ins": int(root.xpath("count(//w:ins)", namespaces=ns)),
        "del": int(root.xpath("count(//w:del)", namespaces=ns)),
    }
