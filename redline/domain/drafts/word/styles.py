"""Paragraph styles of a Word file, as far as reading the text needs them.

A paragraph's numbering, outline level and direction may come from its style, or from the style
that one is based on (`w:basedOn`, followed to the root). Word stores built-in style names in
English ("heading 1", "Title") whatever the language of the user interface, while style ids are
localised ("Titre1"), so headings are recognised by name first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redline.domain.drafts.word.package import on, small_int, w, wval

W_DEFAULT = w("default")
W_DOCDEFAULTS = w("docDefaults")
W_NUMPR = w("numPr")
W_PPR = w("pPr")
W_STYLE = w("style")
W_STYLEID = w("styleId")
W_TYPE = w("type")

_HEADING_NAME = re.compile(r"^(?:heading|titre|überschrift|encabezado|título)\s*(\d)$", re.I)


@dataclass(frozen=True)
class StyleInfo:
    """What a paragraph inherits from its style chain."""

    num_id: str | None = None
    ilvl: int | None = None
    outline_level: int | None = None
    bidi: bool | None = None
    heading: bool = False


class Styles:
    def __init__(self, root) -> None:
        self._raw: dict[str, object] = {}
        self._lists: dict[str, object] = {}
        self.default = ""
        self.language = ""
        self.default_bidi = False
        self._cache: dict[str, StyleInfo] = {}
        if root is None:
            return
        defaults = root.find(W_DOCDEFAULTS)
        if defaults is not None:
            run = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            self.language = (wval(run, "lang") or "") if run is not None else ""
            para = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
            self.default_bidi = bool(on(para, "bidi"))
        for style in root.iter(W_STYLE):
            if style.get(W_TYPE) == "numbering":  # list styles: numStyleLink points at them
                self._lists[style.get(W_STYLEID, "")] = style
            if style.get(W_TYPE) != "paragraph":
                continue
            ident = style.get(W_STYLEID, "")
            self._raw[ident] = style
            if on(style, "default") or style.get(W_DEFAULT) in ("1", "true"):
                self.default = ident

    def num_ids(self) -> dict[str, str]:
        """style id -> its numId, for list styles linked from numbering.xml."""
        found = {}
        for ident, style in [*self._raw.items(), *self._lists.items()]:
            num = wval(style.find(f"{W_PPR}/{W_NUMPR}"), "numId")
            if num:
                found[ident] = num
        return found

    def info(self, style_id: str | None) -> StyleInfo:
        ident = style_id or self.default
        if ident not in self._cache:
            self._cache[ident] = self._resolve(ident, set())
        return self._cache[ident]

    def _resolve(self, ident: str, seen: set[str]) -> StyleInfo:
        style = self._raw.get(ident)
        if style is None or ident in seen:
            return StyleInfo(bidi=self.default_bidi)
        seen.add(ident)
        parent = self._resolve(wval(style, "basedOn") or "", seen)
        ppr = style.find(W_PPR)
        numpr = ppr.find(W_NUMPR) if ppr is not None else None
        num_id, ilvl = parent.num_id, parent.ilvl
        if numpr is not None:
            num_id = wval(numpr, "numId") or num_id
            level = wval(numpr, "ilvl")
            ilvl = small_int(level, ilvl)
        outline = wval(ppr, "outlineLvl")
        name = (wval(style, "name") or "").strip()
        heading_match = _HEADING_NAME.match(name) or _HEADING_NAME.match(ident)
        outline_level = parent.outline_level
        if small_int(outline, None) is not None:
            outline_level = small_int(outline, None) if small_int(outline, 9) < 9 else None
        elif heading_match:
            outline_level = int(heading_match.group(1)) - 1
        bidi = on(ppr, "bidi")
        heading = (
            parent.heading
            or bool(heading_match)
            or name.lower() in ("title", "titre")
            or ident.lower() == "title"
        )
        return StyleInfo(
            num_id=num_id,
            ilvl=ilvl,
            outline_level=outline_level,
            bidi=parent.bidi if bidi is None else bidi,
            heading=heading,
        )
