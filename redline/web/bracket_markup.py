"""Square brackets in pages: each bracketed passage a bordered span, each bracket without its
partner marked, so drafters see unagreed wording at a glance (not by colour alone).

The text content must stay exactly the version's text (comment selections count its
characters, see notes_markup), so nothing is added as text: the label read by screen readers
("bracketed:", "unbalanced bracket") is CSS generated content, visually hidden (redline.css).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from redline.domain.text.brackets import Brackets, parse


def bracket_marks(text: str, found: Brackets | None = None) -> Markup:
    """`text` escaped, with `<span class="bracketed">` around every pair (nested ones inside
    their outer pair) and `<span class="bracket-stray">` on every unpartnered bracket."""
    found = found if found is not None else parse(text)
    if not found.pairs and not found.unbalanced:
        return escape(text)
    # Tags to put at each offset: closing spans first, then opening ones (outer before
    # inner: pairs come in order of their opening bracket), then a stray's mark.
    tags: dict[int, list[Markup]] = {}
    for p in found.pairs:
        cls = "bracketed nested" if p.depth else "bracketed"
        option = Markup(' data-option="{}"').format(p.option) if p.option else ""
        tags.setdefault(p.start, []).append(Markup('<span class="{}"{}>').format(cls, option))
    for p in found.pairs:
        tags.setdefault(p.end, []).insert(0, Markup("</span>"))
    for u in found.unbalanced:
        tags.setdefault(u.offset, []).append(Markup('<span class="bracket-stray">'))
        tags.setdefault(u.offset + 1, []).insert(0, Markup("</span>"))
    out: list[str] = []
    at = 0
    for offset in sorted(tags):
        out.append(escape(text[at:offset]))
        out.extend(tags[offset])
        at = offset
    out.append(escape(text[at:]))
    return Markup("").join(out)


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def bracket_chars(html: Markup) -> Markup:
    """A redline's markup with each square bracket (not a note marker) marked, so the
    brackets stand out wherever insertions and deletions cut a pair (a pair may open in kept
    text and close in inserted text, so pairs cannot be one element there)."""
    parts = _TAG_OR_TEXT.split(str(html))
    for i in range(0, len(parts), 2):  # text between tags: even indices
        if "[" in parts[i] or "]" in parts[i]:
            parts[i] = "".join(_mark_chars(parts[i]))
    return Markup("".join(parts))  # noqa: S704 - built from escaped markup and fixed tags


def _mark_chars(text: str):
    at = 0
    for m in _NOTE_OR_BRACKET.finditer(text):
        yield text[at : m.start()]
        if m.group(0) in "[]":
            yield f'<span class="bracket-char">{m.group(0)}</span>'
        else:
            yield m.group(0)  # a note marker stays as it is
        at = m.end()
    yield text[at:]


_NOTE_OR_BRACKET = re.compile(r"\[\^[^\]\s<]{1,20}\]|[\[\]]")


def stray_context(text: str, offset: int, width: int = 30) -> str:
    """A few words around an unpartnered bracket, for the drafters' error list."""
    left, right = max(0, offset - width), offset + width
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def init_app(app) -> None:
    app.jinja_env.globals["bracket_marks"] = bracket_marks
    app.jinja_env.filters["bracket_chars"] = bracket_chars
    app.jinja_env.globals["brackets_of"] = parse
    app.jinja_env.globals["stray_context"] = stray_context
