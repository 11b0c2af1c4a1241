"""Assemble a draft's paragraphs into provisions: preamble, chapters, articles, annexes.

The hard question is which numbered paragraphs are provision headings. "1." opens Section 1 of
CC BY 3.0 but is paragraph 1 inside Article 4 of the Budapest Convention and a list item inside
Section 2 of CC BY 4.0. The document decides, in this order:
1. If it uses "Article N" headings, articles are the provisions; Chapter/Section/Title/Part
   headings are divisions and every plain "1." is a paragraph inside an article.
2. Otherwise, if it uses keyword headings ("Section 1 -- Definitions.") that are not followed by
   plain-numbered headings, the innermost keyword is the provision level (CC BY 4.0).
3. Otherwise plain numbers are the provisions, but only in sequence: the first is 0 or 1, each
   next one follows the previous (a "1." after section 3 is a list item), a number continuing a
   list of rejected numbers is a list item, and once every section so far had a heading, a
   numbered sentence without one is a list item.
Nothing is dropped: every paragraph lands in exactly one provision, as heading or as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from redline.domain.drafts.headings import Heading, is_heading_line, is_sentence, read_heading
from redline.domain.drafts.paragraphs import CELL, HEADING, LTR, RTL, DraftParagraph, Note

TEXT = "text"  # hint for a paragraph the secretariat marked as text: never a heading

_OPENING_FORMULA = re.compile(r"^The\s.*,$")  # "The member States ... signatory hereto,"
_TESTIMONIUM = re.compile(r"^(?:IN WITNESS WHEREOF|In witness whereof|DONE at|Done at)\b")
_END_MARK = re.compile(r"^END OF\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedProvision:
    """One provision as written in an imported draft.

    `text` is the body paragraphs joined by a blank line, exactly as in the source.
    `heading_source` is the heading as written (a heading spread over two paragraphs, such as
    "Article 18" then "Production order", is joined by a blank line). When `run_in` is true the
    heading opens the first body paragraph ("2. Grant of Copyright License. Subject to ...") and
    that source paragraph is `heading_source + paragraphs[0]`. A synthetic heading (the
    "Preamble" of a draft that has none written) has an empty `heading_source`.
    """

    kind: str  # "preamble" | "article" | "division" | "annex" | "other"
    number: str
    heading: str
    text: str
    paragraphs: tuple[str, ...]
    level: int = 0  # divisions: 1 for the outermost word used (e.g. chapter), 2, 3 inward
    heading_source: str = ""
    run_in: bool = False
    notes: tuple[Note, ...] = ()  # footnotes/endnotes whose `[^marker]` stands in the text
    direction: str = LTR

    def source_paragraphs(self) -> list[str]:
        """The paragraphs of the source this provision came from, in order."""
        if self.run_in:
            return [self.heading_source + self.paragraphs[0], *self.paragraphs[1:]]
        head = self.heading_source.split("\n\n") if self.heading_source else []
        return [*head, *self.paragraphs]


class _Builder:
    """Collects provisions while walking the paragraphs once."""

    def __init__(self) -> None:
        self.done: list[ParsedProvision] = []
        self.current: dict | None = None

    def start(
        self,
        kind: str,
        head: Heading | None,
        *,
        level: int = 0,
        source: str = "",
        heading: str | None = None,
    ) -> None:
        """Open a provision at `head`; `source`/`heading` override it when the heading was
        spread over two paragraphs, `heading` alone gives a heading the source lacks."""
        self.flush()
        body = [] if head is None or head.body is None else [head.body]
        if heading is None:
            heading = head.heading if head else ""
        self.current = {
            "kind": kind,
            "number": head.number if head else "",
            "heading": heading,
            "level": level,
            "heading_source": source or (head.source if head else ""),
            "run_in": head is not None and head.body is not None,
            "paragraphs": body,
        }

    def add(self, paragraph: str, kind: str) -> None:
        if self.current is None:
            self.start(kind, None)
        assert self.current is not None  # for the type checker: start() always sets it
        self.current["paragraphs"].append(paragraph)

    def flush(self) -> None:
        if self.current is not None:
            paragraphs = tuple(self.current.pop("paragraphs"))
            self.done.append(
                ParsedProvision(text="\n\n".join(paragraphs), paragraphs=paragraphs, **self.current)
            )
        self.current = None


def _assign_roles(heads: list[Heading | None]) -> list[str | None]:
    """Which headings open a provision: "top", "division", "annex", or "title"/"preamble"."""
    roles: list[str | None] = [None] * len(heads)
    words = [h.word for h in heads if h and h.kind == "division"]
    has_article = any(h and h.kind == "article" for h in heads)
    numbered_after_keyword = any(
        h and h.kind == "division" and nxt and nxt.kind == "numbered" and nxt.form != "body"
        for h, nxt in zip(heads, heads[1:], strict=False)
    )
    article_word = ""
    if not has_article and words and not numbered_after_keyword:
        article_word = words[-1]  # innermost keyword: "Section" in CC BY 4.0
    expected: int | None = None
    rejected: int | None = None
    all_headed = True
    ended = restart = False
    for i, head in enumerate(heads):
        if head is None:
            continue
        if head.kind == "article" or (head.kind == "division" and head.word == article_word):
            roles[i] = "top"
        elif head.kind in ("division", "annex"):
            roles[i] = head.kind
            restart = head.kind == "division"  # numbering may restart in each chapter
        elif head.kind in ("title", "preamble"):
            roles[i] = head.kind
            ended = ended or (expected is not None and bool(_END_MARK.match(head.heading)))
        elif has_article or article_word:
            continue  # "1." inside an article is a paragraph number
        elif ended:
            roles[i] = "annex" if head.form in ("short", "bare") else None
        elif _continues(head, expected, rejected, all_headed, restart):
            roles[i] = "top"
            expected, rejected = (head.value or 0) + 1, None
            all_headed = all_headed and head.form != "body"
        else:
            rejected = head.value
        restart = restart and roles[i] == "division"
    return roles


def _continues(
    head: Heading, expected: int | None, rejected: int | None, headed: bool, restart: bool
) -> bool:
    if expected is None or (restart and head.value in (0, 1)):
        return head.value in (0, 1)
    if head.value != expected or (rejected is not None and head.value == rejected + 1):
        return False
    return not (headed and head.form == "body")


def build_provisions(
    paragraphs: Sequence[str],
    *,
    hints: Sequence[str] = (),
    breaks: frozenset[int] = frozenset(),
    outline: Sequence[int | None] = (),
    splits: frozenset[int] = frozenset(),
    opens: frozenset[int] = frozenset(),
) -> list[ParsedProvision]:
    """Group `paragraphs` into provisions.

    `hints[i]` is HEADING for a paragraph styled as a heading in Word, CELL for a table cell
    (never a heading, however short), TEXT for a paragraph the secretariat marked as text, ""
    otherwise. `outline[i]` is Word's outline level of a heading paragraph (0 = top). `breaks`
    holds the indexes of paragraphs that follow an editorial note such as "[the excerpt begins
    here, mid-article]": what follows cannot belong to the provision before the gap. `splits`
    are paragraphs where the secretariat started a new provision and `opens` those it marked
    as headings (see `redline.domain.drafts.corrections`).
    """
    count = len(paragraphs)
    hints = list(hints) + [""] * (count - len(hints))
    outline = list(outline) + [None] * (count - len(outline))
    heads = [
        None if hint == CELL else read_heading(p, forced=hint == HEADING)
        for p, hint in zip(paragraphs, hints, strict=True)
    ]
    roles = _assign_roles(heads)
    for i, hint in enumerate(hints):
        if hint == TEXT:
            # Read for the numbering sequence (joining "3." must not make "4." a list item),
            # but never a heading.
            heads[i] = roles[i] = None
    _outline_roles(heads, roles, hints, outline)
    for i in opens:
        if heads[i] is not None and roles[i] is None:
            roles[i] = "title" if heads[i].kind == "title" else "top"
    front_end = next((i for i, r in enumerate(roles) if r in ("top", "division", "annex")), count)
    levels: dict[str, int] = {}
    for head, role in zip(heads, roles, strict=True):
        if role == "division" and head and head.word:
            levels.setdefault(head.word, len(levels) + 1)
    out = _Builder()
    ended = False
    skip = -1
    for i, paragraph in enumerate(paragraphs):
        if i == skip:
            continue
        head, role = heads[i], roles[i]
        if (
            head
            and role in ("top", "division", "annex")
            and head.bare
            and i + 1 < count
            and i + 1 not in breaks | splits | opens
            and hints[i + 1] not in (TEXT, CELL)
            and is_heading_line(paragraphs[i + 1])
            and (heads[i + 1] is None or heads[i + 1].kind == "title")
        ):
            # "Article 18" alone, then "Production order": the next paragraph is its heading.
            skip = i + 1
            source = paragraph + "\n\n" + paragraphs[i + 1]
            title = paragraphs[i + 1].strip().removesuffix(".")
        else:
            source, title = "", None
        if hints[i] == TEXT and i not in breaks and out.current is not None:
            # Marked as text (or joined) by the secretariat: it continues the provision
            # before it, whatever would otherwise open one here (a recital formula, "DONE at").
            out.add(paragraph, "other")
        elif i in opens and role == "title":
            assert head is not None
            kind = "preamble" if i < front_end else _unnumbered_kind(head, ended)
            out.start(kind, head, level=1 if kind == "division" else 0)
        elif i < front_end:
            _front_matter(out, i, paragraphs, heads, front_end, breaks | splits)
        elif role == "top":
            out.start("article", head, source=source, heading=title)
        elif role in ("division", "annex"):
            assert head is not None
            level = levels.get(head.word, 1) if role == "division" else 0
            out.start(role, head, level=level, source=source, heading=title)
        elif role in ("title", "preamble"):
            assert head is not None
            ended = ended or bool(_END_MARK.match(head.heading))
            kind = _unnumbered_kind(head, ended)
            out.start(kind, head, level=1 if kind == "division" else 0)
        elif i in splits and role is None:
            # The secretariat split the provision here: the new one keeps the kind it was
            # split from (an article stays an article), without a heading.
            kind = (out.current or {}).get("kind", "other")
            out.start("other" if kind == "division" else kind, None)
            out.add(paragraph, "other")
        elif i in breaks or (
            _TESTIMONIUM.match(paragraph.strip()) and (out.current or {}).get("kind") != "other"
        ):
            # "IN WITNESS WHEREOF ..." closes the last article; after a gap in the source the
            # text cannot be assumed to continue the provision before it.
            out.start("other", None)
            out.add(paragraph, "other")
        else:
            out.add(paragraph, "other")
    out.flush()
    return out.done


def build_from_paragraphs(
    paragraphs: Sequence[DraftParagraph],
    *,
    breaks: frozenset[int] = frozenset(),
    splits: frozenset[int] = frozenset(),
    opens: frozenset[int] = frozenset(),
) -> list[ParsedProvision]:
    """Group a reader's paragraphs into provisions, each carrying the notes whose markers stand
    in its paragraphs and the direction of its text (right-to-left if any paragraph is)."""
    provisions = build_provisions(
        [p.text for p in paragraphs],
        hints=[p.hint for p in paragraphs],
        outline=[p.outline_level for p in paragraphs],
        breaks=breaks,
        splits=splits,
        opens=opens,
    )
    out: list[ParsedProvision] = []
    at = 0
    for provision in provisions:
        mine = paragraphs[at : at + len(provision.source_paragraphs())]
        at += len(mine)
        notes = tuple(note for p in mine for note in p.notes)
        direction = RTL if any(p.direction == RTL for p in mine) else LTR
        out.append(replace(provision, notes=notes, direction=direction))
    return out


def _outline_roles(
    heads: list[Heading | None],
    roles: list[str | None],
    hints: Sequence[str],
    outline: Sequence[int | None],
) -> None:
    """Word headings without a number ("General provisions" in Heading 1, "Purpose" in
    Heading 2): the outline level gives the division level. The deepest level used opens the
    provisions when the document has no numbered provisions of its own; shallower levels are
    divisions, level 1 for the outermost."""
    styled = [
        i
        for i, h in enumerate(heads)
        if h and h.kind == "title" and hints[i] == HEADING and outline[i] is not None
    ]
    if not styled:
        return
    used = sorted({outline[i] for i in styled})
    numbered = any(r == "top" for r in roles)
    # Levels above the document's own numbered provisions ("Part One" in Heading 1 over
    # "Article 1 – …" in Heading 2) are divisions even when they are the deepest unnumbered.
    tops = [
        level for r, level in zip(roles, outline, strict=True) if r == "top" and level is not None
    ]
    # ...but only when provisions follow: a heading after the last article ("Explanatory
    # note" in Heading 1) groups nothing and stays a provision of its own.
    last_top = max((i for i, r in enumerate(roles) if r == "top"), default=-1)
    for i in styled:
        if outline[i] != used[-1] or (tops and outline[i] < min(tops) and i < last_top):
            roles[i] = "division"
            heads[i] = replace(heads[i], word=f"outline {used.index(outline[i]) + 1}")
        elif not numbered and len(used) > 1:
            roles[i] = "top"


def _unnumbered_kind(head: Heading, ended: bool) -> str:
    if ended and not _END_MARK.match(head.heading):
        return "annex"  # after "END OF TERMS AND CONDITIONS" comes the appendix
    if re.match(r"(?i)^(annex|appendix|schedule)\b", head.heading):
        return "annex"
    return "division" if head.capitals else "other"


def _front_matter(
    out: _Builder,
    i: int,
    paragraphs: Sequence[str],
    heads: list[Heading | None],
    front_end: int,
    breaks: frozenset[int],
) -> None:
    """Everything before the first provision: cover page, preamble, recitals."""
    head, paragraph = heads[i], paragraphs[i]
    current = out.current
    if head and head.kind == "preamble":
        out.start("preamble", head)
    elif (
        head
        and head.kind == "title"
        and 0 < i
        and front_end < len(paragraphs)
        and all(h and h.kind == "title" and h.capitals for h in heads[i:front_end])
    ):
        out.start("division", head, level=1)  # "TERMS AND CONDITIONS" right before section 0
    elif head and head.kind == "title" and (i == 0 or is_sentence(paragraphs[i - 1])):
        out.start("preamble", head)  # the cover title, or "License" after the cover notice
    elif _OPENING_FORMULA.match(paragraph.strip()) and not (
        current and current["kind"] == "preamble" and current["heading"] == "Preamble"
    ):
        # The recitals start even where the draft has no "Preamble" heading (Draft No 21).
        out.start("preamble", None, heading="Preamble")
        out.add(paragraph, "preamble")
    elif i in breaks:
        out.start("preamble", None)
        out.add(paragraph, "preamble")
    else:
        out.add(paragraph, "preamble")
