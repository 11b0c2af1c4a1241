"""Recognise a heading in one paragraph of a draft, the way a drafter reads it.

This module looks at one paragraph (and, for a bare number, the line after it) and says what
heading form it is written in; it does not decide whether the paragraph *is* a provision heading
in its document. That needs the whole document (is there an "Article N" scheme? does the number
continue the sequence?) and is decided in `redline.domain.drafts.structure`.

Forms recognised, all taken from real instruments:
- "Article 18 – Production order" (en dash, em dash, hyphen, colon or period), "Article 18" alone;
- "CHAPTER II – ...", "SECTION 1 – ...", "TITLE 3 – ...", "Part A", CC 4.0's
  "Section 1 -- Definitions.";
- French: "Article premier", "Article 1er", "Chapitre Ier", "Titre II", "Partie 1",
  "Sous-section 2", "Annexe", "Protocole n° 1" (and "Artikel", "Artículo", "Articolo");
- "Annex I – ...", "Appendix: How to Apply ...", "Protocol No. 2";
- "0. Definitions." / "1. Definitions" (number and short heading), "17." or "18" alone,
  run-in "2. Grant of Copyright License. Subject to ..." and headless "0. This License applies ...";
- unnumbered heading lines: "Preamble", "NO WARRANTY", "How to Apply These Terms ...";
- Markdown markers ("## Article 1 – Purpose") and Word heading styles (`forced`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Words that stay lower case in a title-cased heading ("Grant of Copyright License").
_MINOR = frozenset(
    "a an the and or nor but of to in into on onto at by for from with as than via per its "
    "this that these those be is are not under upon over de du des la le et".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SEPARATOR = r"\s*(?:--|[–—:.-])\s*"
_MD_MARKER = re.compile(r"^(#{1,6})[ \t]+")
# French "Article premier", "Article 1er", "Chapitre Ier", "Titre II"; the first is number one.
_FIRST = r"(?:premier|PREMIER|première|PREMIÈRE|1er|1re|Ier|IER|Ire)"
_ARTICLE = re.compile(
    r"^(?P<word>Article|ARTICLE|Art\.|Artikel|ARTIKEL|Artículo|ARTÍCULO|Articolo|ARTICOLO)\s+"
    rf"(?P<num>{_FIRST}|\d+[A-Za-z]?(?:\s?(?:bis|ter|quater|quinquies|sexies|septies))?"
    r"|[IVXLCDM]+)(?!\w)(?P<rest>.*)$"
)
_DIVISION = re.compile(
    r"^(?P<word>PART|Part|PARTIE|Partie|CHAPTER|Chapter|CHAPITRE|Chapitre|SUB-?SECTION"
    r"|Sub-?section|SOUS-SECTION|Sous-section|SECTION|Section|TITLE|Title|TITRE|Titre"
    r"|BOOK|Book|LIVRE|Livre)\s+"
    rf"(?P<num>{_FIRST}|[IVXLCDM]+|\d+[A-Za-z]?|[A-Z])(?!\w)(?P<rest>.*)$"
)
_ANNEX = re.compile(
    r"^(?P<word>ANNEXE|Annexe|ANNEX|Annex|APPENDIX|Appendix|APPENDICE|Appendice|SCHEDULE"
    r"|Schedule|PROTOCOLE|Protocole|PROTOCOL|Protocol)"
    rf"(?:\s+(?:(?:No|N°|n°)\.?\s*)?(?P<num>{_FIRST}|[IVXLCDM]+|\d+|[A-Z])(?!\w))?"
    r"(?P<rest>.*)$"
)
# The same division in English and French is one level of the document.
_WORDS = {
    "partie": "part",
    "chapitre": "chapter",
    "soussection": "subsection",
    "titre": "title",
    "livre": "book",
    "annexe": "annex",
    "appendice": "appendix",
    "protocole": "protocol",
    "artikel": "article",
    "artículo": "article",
    "articolo": "article",
}
# "0. Definitions.", "17.", "18", "[13. Geographical Limitations": an arabic number with a period
# (never "1.1", which is a nested paragraph number) or alone on its line.
_NUMBERED = re.compile(r"^(?P<open>\[?)(?P<num>\d{1,3})(?:\.(?!\d)|(?=\s*$))(?P<gap>[ \t]*)")
# A run-in heading ends at the first period followed by a space: "Grant of Copyright License. ".
_RUN_IN = re.compile(r"^(?P<head>[^.\n]{1,80}?)\.(?P<gap>[ \t]+)(?=\S)")
_LIST_MARKER = re.compile(
    r"^(?:\(?[0-9]{1,3}[.)]|\(?[a-z]{1,4}[.)]|\([A-Za-z0-9]{1,4}\)|[–—•*-]\s)"
)
_PREAMBLE = re.compile(r"^(?:PREAMBLE|Preamble|(?P<fr>PRÉAMBULE|Préambule))\.?$")


@dataclass(frozen=True)
class Heading:
    """A heading form found at the start of a paragraph.

    `source` is the heading exactly as written; when the paragraph goes on after the heading
    (a run-in heading, or "Article 1 – Purpose" followed by text on the next line), `body` is the
    rest of the paragraph and `source + body` is the paragraph.
    """

    kind: str  # "article" | "division" | "annex" | "numbered" | "preamble" | "title"
    number: str = ""  # as written, without the closing period: "Article 18", "CHAPTER II", "0"
    heading: str = ""
    source: str = ""
    body: str | None = None
    word: str = ""  # the division word in lower case: "chapter", "section", "title"
    value: int | None = None  # the arabic number, for sequence checks
    form: str = ""  # numbered only: "short" | "bare" | "run_in" | "body"

    @property
    def bare(self) -> bool:
        """A number with no heading text ("Article 18", "17."): its heading may be the next line."""
        return not self.heading and self.body is None and self.form in ("", "bare")

    @property
    def capitals(self) -> bool:
        return is_all_caps(self.heading)


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_title_case(text: str) -> bool:
    """Most significant words capitalised (or all capitals): how headings, not sentences, look."""
    words = _WORD.findall(text)
    significant = [w for w in words if w.lower() not in _MINOR]
    if not significant or not words[0][0].isupper():
        return False
    if is_all_caps(text):
        return True
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75


def is_sentence(text: str) -> bool:
    """Running text rather than a heading line: ends with punctuation or is long."""
    stripped = text.strip()
    return stripped.endswith((".", ",", ";", ":", "!", "?")) or len(stripped.split()) > 15


def is_title_line(text: str) -> bool:
    """An unnumbered heading line: "NO WARRANTY", "Creative Commons Notice", "Preamble"."""
    line = text.strip()
    if "\n" in line or not line or not line[0].isupper() or "<" in line:
        return False
    if line.endswith((".", ",", ";", ":", "!", "?")) or _LIST_MARKER.match(line):
        return False
    limit = 12 if is_all_caps(line) else 10
    return len(line.split()) <= limit and len(line) <= 100 and is_title_case(line)


def is_heading_line(text: str) -> bool:
    """The heading that follows a bare "Article 18" on its own line: "Production order"."""
    line = text.strip()
    if "\n" in line or not line or not line[0].isupper() or _LIST_MARKER.match(line):
        return False
    if line.endswith((",", ";", ":", "!", "?")) or len(line.split()) > 15 or len(line) > 120:
        return False
    return not line.endswith(".") or (is_title_case(line[:-1]) and ". " not in line)


def _short_heading(rest: str, alone: bool = True) -> bool:
    """'Definitions.', 'Source Code', 'NO WARRANTY' after a number; not a numbered sentence."""
    line = rest.strip()
    if not line or "\n" in line or not line[0].isupper():
        return False
    if len(line.split()) > 12 or len(line) > 100 or line.endswith((",", ";", ":", "!", "?")):
        return False
    if line.endswith("."):
        return is_title_case(line[:-1]) and ". " not in line[:-1]
    # Without a period: "Source Code", or a short sentence-case heading ("Scope of application",
    # "Scope of the rights granted by the Licence"): the sequence of numbers decides in
    # `structure` whether it opens a provision, not its capitals.
    # A hard-wrapped numbered sentence ("1. Each Party shall adopt such legislative" then more
    # lines) is not a heading: the longer sentence-case form must stand alone.
    words = len(line.split())
    return is_title_case(line) or ((words <= 10 if alone else words <= 6) and "," not in line)


def _keyword_heading(
    match: re.Match[str], prefix: str, line: str, kind: str, forced: bool = False
) -> Heading | None:
    """'Article 18 – Production order', 'CHAPTER II', 'Appendix: How to Apply ...', and
    'Article 1 Purpose': Word's automatic numbering puts a tab between the number it draws and
    the heading typed after it, read as one space."""
    word, num, rest = match["word"], match["num"], match["rest"]
    number = f"{word} {num}" if num else word
    if not rest.strip():
        heading = ""
    else:
        sep = re.match(_SEPARATOR, rest)
        if sep:
            heading = rest[sep.end() :].strip()  # empty for "Article 18."
        elif (
            rest[:1].isspace()
            and _short_heading(rest)
            and (forced or is_title_case(rest.strip()) or len(rest.split()) <= 4)
        ):
            heading = rest.strip()
        else:
            return None  # "Article 5 shall apply ..." is a sentence, not a heading
        if len(heading.split()) > 25 or (heading.endswith(".") and ". " in heading[:-1]):
            return None
        heading = heading.removesuffix(".").rstrip()
    value = int(num) if num and num.isascii() and num.isdigit() else None
    if num and re.fullmatch(_FIRST, num):
        value = 1
    lowered = word.lower().replace("-", "").removesuffix(".")
    return Heading(
        kind=kind,
        number=number,
        heading=heading,
        source=prefix + line,
        word=_WORDS.get(lowered, lowered),
        value=value,
    )


def _numbered_heading(match: re.Match[str], prefix: str, line: str, alone: bool) -> Heading:
    head_end = match.end()
    num = match["num"]
    rest = line[head_end:]
    common = {"kind": "numbered", "number": num, "value": int(num)}
    if not rest.strip():
        return Heading(source=prefix + line, form="bare", **common)
    if _short_heading(rest, alone):
        heading = rest.strip().removesuffix(".").rstrip()
        return Heading(heading=heading, source=prefix + line, form="short", **common)
    run_in = _RUN_IN.match(rest)
    if run_in and len(run_in["head"].split()) <= 10 and is_title_case(run_in["head"]):
        cut = head_end + run_in.end()
        return Heading(
            heading=run_in["head"].strip(),
            source=prefix + line[:cut],
            body=line[cut:],
            form="run_in",
            **common,
        )
    # "0. This License applies to ...": numbered, headless; the text starts after the number.
    return Heading(source=prefix + line[:head_end], body=line[head_end:], form="body", **common)


def read_heading(paragraph: str, *, forced: bool = False) -> Heading | None:
    """The heading form at the start of `paragraph`, or None if it reads as plain text.

    `forced` marks a paragraph the author styled as a heading (Word heading style); a Markdown
    `#` marker does the same. Only the first line is read as the heading; further lines of the
    same paragraph become `body`, so nothing is lost.
    """
    first, newline, more = paragraph.partition("\n")
    marker = _MD_MARKER.match(first)
    prefix = marker.group(0) if marker else ""
    indent = len(first) - len(first.lstrip())  # indentation is kept in `source`, not read
    prefix = first[: max(len(prefix), indent)]
    line = first[len(prefix) :]
    forced = forced or bool(marker)
    found = _read_line(line.strip(), prefix, line, forced, alone=not newline)
    if found is None or not newline:
        return found
    if found.body is not None:  # a run-in heading: the rest of the paragraph is its body
        return replace(found, body=found.body + newline + more)
    second, newline2, rest = more.partition("\n")
    if found.bare and is_heading_line(second):  # "Article 18\nProduction order"
        source = found.source + "\n" + second
        heading = second.strip().removesuffix(".")
        if not newline2:
            return replace(found, heading=heading, source=source)
        return replace(found, heading=heading, source=source + "\n", body=rest)
    if found.kind == "title" and not forced:
        return None  # a short first line of a longer paragraph is not a heading
    return replace(found, source=found.source + "\n", body=more)


def _read_line(
    stripped: str, prefix: str, line: str, forced: bool, alone: bool = True
) -> Heading | None:
    if not stripped:
        return None
    preamble = _PREAMBLE.match(stripped)
    if preamble:
        heading = "Préambule" if preamble["fr"] else "Preamble"
        return Heading(kind="preamble", heading=heading, source=prefix + line)
    for pattern, kind in ((_ARTICLE, "article"), (_DIVISION, "division"), (_ANNEX, "annex")):
        match = pattern.match(line)
        if match:
            found = _keyword_heading(match, prefix, line, kind, forced)
            if found is not None:
                return found
    match = _NUMBERED.match(line)
    if match:
        return _numbered_heading(match, prefix, line, alone)
    if forced or is_title_line(stripped):
        return Heading(kind="title", heading=stripped.lstrip("#").strip(), source=prefix + line)
    return None
