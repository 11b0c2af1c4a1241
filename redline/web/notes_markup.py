"""Footnotes and endnotes in pages: markers in the text linked to the notes, and back.

The text of a provision keeps a note's marker as `[^m]`. In a page the marker stays exactly
that text (comment selections count characters of the text, so nothing may be added to it) but
becomes a link to the note listed under the text, and the note links back to its marker. Only
the first occurrence of a marker carries the id (ids are unique in a page).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from redline.domain.text.notes import as_notes, marker_token

_LINK = Markup(
    '{}<a class="note-ref" href="#{}" id="{}" role="doc-noteref" aria-label="{} {}">{}</a>{}'
)


def note_id(provision_id: int, index: int) -> str:
    return f"fn-{provision_id}-{index}"


def ref_id(provision_id: int, index: int) -> str:
    return f"fnref-{provision_id}-{index}"


def link_markers(html: object, version) -> Markup:
    """`html` (the version's text, escaped or already marked up) with each note's marker made
    a link to its note. A marker split by a comment highlight is left as plain text."""
    out = escape(html)  # Markup: already-marked-up text is kept as it is
    notes = as_notes(getattr(version, "notes", None))
    if not notes:
        return out
    pid = version.provision_id
    for i, n in enumerate(notes, start=1):
        token = marker_token(n.marker)
        at = out.find(escape(token))
        if at < 0:
            continue
        after = at + len(escape(token))
        # Slices of Markup stay Markup; format() escapes only the plain strings.
        out = _LINK.format(
            out[:at],
            note_id(pid, i),
            ref_id(pid, i),
            "Endnote" if n.kind == "endnote" else "Footnote",
            n.marker,
            token,
            out[after:],
        )
    return out


def text_dir(version) -> Markup:
    """` dir="rtl"` for a provision written right to left, else nothing (ltr is the page's)."""
    return Markup(' dir="rtl"') if getattr(version, "direction", "ltr") == "rtl" else Markup("")


def init_app(app) -> None:
    app.jinja_env.filters["note_links"] = link_markers
    app.jinja_env.globals["text_dir"] = text_dir
    app.jinja_env.globals["note_id"] = note_id
    app.jinja_env.globals["note_ref_id"] = ref_id
    app.jinja_env.globals["notes_of"] = lambda v: as_notes(getattr(v, "notes", None))
