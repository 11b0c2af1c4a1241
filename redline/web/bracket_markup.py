"""Square brackets in pages: each bracketed passage a bordered span, each bracket without its
partner marked, so drafters see unagreed wording at a glance (not by colour alone).

The text content must stay exactly the version's text (comment selections count its
characters, see notes_markup), so nothing is added as text: the label read by screen readers
("bracketed:", "unbalanced bracket") is CSS generated content, visually hidden (redline.css).
"""

from __future__ import annotations

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


def stray_context(text: str, offset: int, width: int = 30) -> str:
    """A few words around an unpartnered bracket, for the drafters' error list."""
    left, right = max(0, offset - width), offset + width
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def init_app(app) -> None:
    app.jinja_env.globals["bracket_marks"] = bracket_marks
    app.jinja_env.globals["brackets_of"] = parse
    app.jinja_env.globals["stray_context"] = stray_context
