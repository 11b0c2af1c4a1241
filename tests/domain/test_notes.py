"""Notes kept beside the text: pairing two versions' notes, keeping notes with their markers,
and linking markers in a page without changing a character of the text."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from redline.domain.drafts.paragraphs import ENDNOTE, Note
from redline.domain.text.notes import as_notes, kept_with, pair_notes, stored
from redline.web.notes_markup import link_markers

markers = st.lists(st.sampled_from(["1", "2", "3", "a", "*", "iv"]), unique=True, max_size=6)


def _notes(ms, text="n"):
    return tuple(Note(m, f"{text} {m}") for m in ms)


@given(markers, markers)
def test_pairing_lists_every_note_once_in_the_newer_order(old, new):
    pairs = pair_notes(_notes(old, "old"), _notes(new, "new"))
    assert sorted(p.marker for p in pairs) == sorted(set(old) | set(new))
    assert [p.marker for p in pairs if p.after] == new
    for p in pairs:
        assert p.status == (
            "added" if p.marker not in old else "removed" if p.marker not in new else "changed"
        )


def test_pairing_places_a_removed_note_after_the_note_it_followed():
    pairs = pair_notes(_notes(["1", "2", "3"]), _notes(["1", "3"]))
    assert [(p.marker, p.status) for p in pairs] == [
        ("1", "unchanged"),
        ("2", "removed"),
        ("3", "unchanged"),
    ]


def test_stored_form_round_trips():
    notes = (Note("1", "a"), Note("x", "b", ENDNOTE))
    assert as_notes(stored(notes)) == notes
    assert as_notes([{"marker": "1", "text": "old row"}]) == (Note("1", "old row"),)


def test_a_note_goes_with_its_marker():
    raw = stored(_notes(["1", "2"]))
    assert [n["marker"] for n in kept_with("A[^1] and B.", raw)] == ["1"]
    assert kept_with("A[^1] B[^2]", raw) == raw


class V:
    provision_id = 7

    def __init__(self, notes):
        self.notes = stored(notes)


def _text_content(markup) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(markup)))


@given(st.text(alphabet="ab <&>[^]12\n", max_size=40), markers)
def test_linking_markers_never_changes_the_text(text, ms):
    version = V(_notes(ms))
    out = link_markers(text, version)
    assert _text_content(out) == text
    for i, m in enumerate(ms, start=1):
        if f"[^{m}]" in text:
            assert f'href="#fn-7-{i}"' in out and f'id="fnref-7-{i}"' in out


def test_a_marker_with_markup_characters_is_escaped():
    out = link_markers("x[^<b>]", V((Note("<b>", "t"),)))
    assert "<b>" not in out.replace("<a class", "")
    assert 'aria-label="Footnote &lt;b&gt;"' in out
