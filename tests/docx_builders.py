"""Build .docx files the way Word writes them, from raw WordprocessingML.

python-docx cannot write numbering definitions, tracked changes, notes, fields, content controls
or comments, so these builders write the package parts directly: `docx(body, ...)` takes the
inner XML of `w:body` (and optionally of numbering.xml, footnotes.xml, ...), wraps each part in
its root element with Word's namespaces and relationships, and returns the file's bytes.
Small helpers (`p`, `r`, `num_para`, `abstract`, ...) keep the tests readable.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {  # part -> (root element, relationship type, content type)
    "styles": ("styles", "styles", "styles"),
    "numbering": ("numbering", "numbering", "numbering"),
    "footnotes": ("footnotes", "footnotes", "footnotes"),
    "endnotes": ("endnotes", "endnotes", "endnotes"),
    "comments": ("comments", "comments", "comments"),
    "settings": ("settings", "settings", "settings"),
    "header1": ("hdr", "header", "header"),
}
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

DEFAULT_STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="{lang}"/></w:rPr></w:rPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
)
SEPARATORS = (
    '<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:{kind}>"
)


def docx(
    body: str, *, styles: str | None = None, lang: str = "en-GB", title: str = "", **parts: str
) -> bytes:
    """A .docx whose w:body holds `body`; `parts` gives the inner XML of other parts by name
    (numbering=..., footnotes=..., endnotes=..., comments=..., settings=..., header1=...)."""
    parts = {"styles": DEFAULT_STYLES.replace("{lang}", lang) + (styles or ""), **parts}
    for kind in ("footnotes", "endnotes"):
        if kind in parts:
            parts[kind] = SEPARATORS.format(kind=kind[:-1]) + parts[kind]
    buffer = io.BytesIO()
    overrides = [
        f'<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>',
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/>',
    ]
    rels = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, inner) in enumerate(parts.items()):
            root, rel_type, content = PARTS[name]
            archive.writestr(f"word/{name}.xml", _xml(f"<w:{root} {NS}>{inner}</w:{root}>"))
            overrides.append(
                f'<Override PartName="/word/{name}.xml" ContentType="{CT}.{content}+xml"/>'
            )
            rels.append(
                f'<Relationship Id="rId{i + 1}" Type="{REL}/{rel_type}" Target="{name}.xml"/>'
            )
        archive.writestr(
            "[Content_Types].xml",
            _xml(
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(overrides)
                + "</Types>"
            ),
        )
        archive.writestr(
            "_rels/.rels",
            _xml(
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                "</Relationships>"
            ),
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            _xml(
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(rels)
                + "</Relationships>"
            ),
        )
        archive.writestr(
            "word/document.xml",
            _xml(f"<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"),
        )
        archive.writestr(
            "docProps/core.xml",
            _xml(
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>"
            ),
        )
    return buffer.getvalue()


def _xml(text: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def r(text: str, rpr: str = "") -> str:
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{t(text)}</w:r>"


def p(*content: str, ppr: str = "", style: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    inner = "".join(c if c.startswith("<") else r(c) for c in content)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{inner}</w:p>"


def num_para(text: str, num_id: int, ilvl: int = 0, style: str = "") -> str:
    return p(
        text,
        style=style,
        ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>',
    )


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text)}"/>{extra}</w:lvl>'
    )


def abstract(ident: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{ident}">{"".join(levels)}</w:abstractNum>'


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def ins(content: str, author: str = "Ana", ident: int = 1) -> str:
    return (
        f'<w:ins w:id="{ident}" w:author="{author}" w:date="2026-01-01T10:00:00Z">{content}</w:ins>'
    )


def dele(text: str, author: str = "Ben", ident: int = 2) -> str:
    return (
        f'<w:del w:id="{ident}" w:author="{author}" w:date="2026-01-01T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def table(*rows: list[str]) -> str:
    return (
        "<w:tbl>"
        + "".join(
            "<w:tr>"
            + "".join(f"<w:tc>{c if c.startswith('<') else p(c)}</w:tc>" for c in row)
            + "</w:tr>"
            for row in rows
        )
        + "</w:tbl>"
    )


def note(kind: str, ident: int, text: str) -> str:
    ref = f"<w:r><w:{kind}Ref/></w:r>"
    return f'<w:{kind} w:id="{ident}"><w:p>{ref}{r(" " + text)}</w:p></w:{kind}>'


def note_ref(kind: str, ident: int, custom: str = "") -> str:
    if custom:
        return f'<w:r><w:{kind}Reference w:customMarkFollows="1" w:id="{ident}"/>{t(custom)}</w:r>'
    return f'<w:r><w:{kind}Reference w:id="{ident}"/></w:r>'
