"""Open a .docx package safely: a zip of XML parts, checked before anything is unpacked.

A Word file comes from outside the secretariat, so it is treated as hostile: the declared sizes
of the zip's members are summed and their compression ratios checked *before* any part is read
(a 1 MB file that unpacks to 1 GB is refused, not unpacked), each part is read with a cap, and
XML with a document type declaration (the door to entity expansion and external entities) is
refused. Parts are found through the package relationships, as Word does, not by fixed names.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from redline.domain.drafts.errors import DraftError

MAX_UNPACKED = 50 * 1024 * 1024  # sum of all members' declared sizes
MAX_PART = 50 * 1024 * 1024  # any one part we read
MAX_RATIO = 200  # uncompressed / compressed, for members bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 10_000

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NOT_WORD = (
    "The .docx file could not be read: it is damaged or not a Word document. "
    "Open it in Word or LibreOffice, save it as .docx again and upload it again."
)

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)


class Package:
    """The parts of one Word package, read on demand and each parsed at most once."""

    def __init__(self, data: bytes) -> None:
        if data.startswith(_OLE):
            raise DraftError(
                "The file is encrypted (password-protected), or is an old Word .doc file "
                "renamed .docx. Remove the password (or save it as .docx) and upload it again."
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            members = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise DraftError(NOT_WORD) from exc
        _check_sizes(members)
        self._names = {m.filename for m in members}
        self._parsed: dict[str, etree._Element | None] = {}
        self.main = self._main_part()
        self._main_rels = self.relationships(self.main)

    def _main_part(self) -> str:
        for rel_type, target in self.relationships("").values():
            if rel_type.endswith(OFFICE_DOCUMENT) and target in self._names:
                return target
        raise DraftError(NOT_WORD)

    def xml(self, name: str) -> etree._Element | None:
        """The parsed part `name`, or None when the package has no such part."""
        if name not in self._parsed:
            self._parsed[name] = self._parse(name) if name in self._names else None
        return self._parsed[name]

    def _parse(self, name: str) -> etree._Element:
        try:
            with self._zip.open(name) as member:
                raw = member.read(MAX_PART + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise DraftError(NOT_WORD) from exc
        if len(raw) > MAX_PART:
            raise DraftError(_too_big())
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            raise DraftError(
                "The .docx file contains XML with a document type declaration, which Word never "
                "writes; it is refused for safety. Save it again from Word or LibreOffice."
            )
        try:
            root = etree.fromstring(raw, _PARSER)
        except etree.LxmlError as exc:
            raise DraftError(NOT_WORD) from exc
        if root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 part
            raise DraftError(NOT_WORD)
        return root

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target part name) of the part `source` ("" = the package)."""
        folder, base = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        found: dict[str, tuple[str, str]] = {}
        if rels is None:
            return found
        for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return found

    def related(self, kind: str) -> etree._Element | None:
        """The part the main document relates to with a relationship type ending in `kind`."""
        for rel_type, target in self._main_rels.values():
            if rel_type.endswith("/" + kind):
                return self.xml(target)
        return None

    def related_all(self, kind: str) -> list[etree._Element]:
        parts = []
        for rel_type, target in self._main_rels.values():
            if rel_type.endswith("/" + kind):
                root = self.xml(target)
                if root is not None:
                    parts.append(root)
        return parts


def _too_big() -> str:
    return (
        f"The .docx file unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB (usually large "
        "images): it is refused. Remove or compress the images, or upload the text as .docx "
        "without them."
    )


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse zip bombs from the declared sizes alone, before reading a byte of any part."""
    if len(members) > MAX_MEMBERS:
        raise DraftError(NOT_WORD)
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise DraftError(_too_big())
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise DraftError(
                "The .docx file contains a part compressed far beyond what Word produces "
                f"({member.filename}); it is refused for safety."
            )


_CLARK: dict[str, str] = {}


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag: w("p") -> "{...main}p"."""
    name = _CLARK.get(tag)
    if name is None:
        name = _CLARK[tag] = f"{{{W_NS}}}{tag}"
    return name


def wval(element: etree._Element | None, tag: str, attr: str = "val") -> str | None:
    """The w:val (or other w: attribute) of `element`'s child `tag`, None when absent."""
    if element is None:
        return None
    child = element.find(w(tag))
    if child is None:
        return None
    return child.get(_CLARK.get(attr) or w(attr))


def on(element: etree._Element | None, tag: str) -> bool | None:
    """A Word toggle property (w:bidi, w:vanish, w:isLgl...): None when absent."""
    if element is None:
        return None
    child = element.find(w(tag))
    if child is None:
        return None
    return child.get(w("val"), "true").lower() not in ("0", "false", "off")


def small_int(value: str | None, default: int | None) -> int | None:
    """A Word number attribute (a level, a start value): 1 to 6 ASCII digits, else `default`.
    Guards against "²" (a digit to str.isdigit, not to int) and 5,000-digit numbers."""
    if value and len(value) <= 6 and value.isascii() and value.isdigit():
        return int(value)
    return default
