"""How a comparison is shown: heading lines, badges, unchanged provisions folded into runs,
commented passages marked.

Presentation only (no session, no request): the pages and their htmx fragments share it. All text
is escaped here or by Jinja; the only markup produced is <ins>, <del>, <mark> and <span>.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup, escape

from redline.domain.export.word import heading_parts
from redline.domain.text.compare import NoteChange, ProvisionChange, Snapshot
from redline.domain.text.passages import Span, highlight_ops
from redline.domain.text.redline import (
    DELETE,
    INSERT,
    Stats,
    redline,
    render_inline,
    render_new,
    render_old,
    stats,
)
from redline.services import redlines

MODES = ("inline", "side", "new", "old")
MODE_LABELS = {
    "inline": "Inline redline",
    "side": "Side by side",
    "new": "Clean new text",
    "old": "Clean old text",
}


T = TypeVar("T")


class RenderMemo:
    """What a page derives from ops (word counts, rendered HTML), kept per process so that a
    warm redline page costs little more than the plain text page.

    Keyed on the ops themselves, not on version ids: a value can never be stale, even when a
    database is reset under a running server and ids come round again. Bounded: few entries,
    and nothing derived from long texts (the key keeps its ops alive)."""

    def __init__(self, max_entries: int = 1024, max_chars: int = 20_000) -> None:
        self.max_entries, self.max_chars = max_entries, max_chars
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, size: int, compute: Callable[[], T]) -> T:
        if size > self.max_chars:
            return compute()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


MEMO = RenderMemo()
_RENDER = {"inline": render_inline, "old": render_old, "new": render_new}
# What each view leaves out of the ops: the columns of a side-by-side view and the clean texts.
_DROPPED = {"inline": None, "old": INSERT, "new": DELETE, "clean-old": INSERT, "clean-new": DELETE}
# A marked passage names the note listing its thread beside the provision (aria-describedby).
NOTE_ID = "note-"
Spans = tuple[Span, ...]


def _marked(view: str, ops: tuple, old: Spans, new: Spans) -> Markup:
    """The ops as `view` shows them, with the commented passages marked."""
    kept = [(k, t) for k, t in ops if k != _DROPPED[view]]
    if view.startswith("clean-"):  # a clean text: no <ins> or <del>, only the marks
        kept = [("equal", "".join(t for _, t in kept))]
    return highlight_ops(kept, old, new, described_by=NOTE_ID)


# Characters of a provision's redline (kept, inserted and deleted text) below which printing
# keeps it whole, on one page: about ten lines. A longer one breaks between lines.
SHORT_PROVISION = 900


@dataclass(frozen=True)
class Shown:
    """One provision of a comparison, with what the page says about it."""

    change: ProvisionChange
    stats: Stats
    badges: tuple[str, ...]
    heading: Markup  # the heading line for inline and side-by-side views
    heading_old: str
    heading_new: str
    old_spans: Spans = ()  # the passages commented on the older text (struck ones included)
    new_spans: Spans = ()  # ... on the newer text

    @property
    def changed(self) -> bool:
        return self.change.status != "unchanged"

    @property
    def anchor(self) -> str:
        return f"change-{self.change.provision_id}"

    @property
    def short(self) -> bool:
        """Short enough to print on one page: the print stylesheet never splits it."""
        return sum(len(text) for _, text in self.change.ops) <= SHORT_PROVISION

    def spans(self, view: str) -> tuple[Spans, Spans]:
        """The passages `view` marks, each thread once. A redline (inline, or the two columns
        side by side) shows a thread that reaches the older text there, where it was made
        (struck text included), and only the newer text's own threads on the newer text; a
        clean text marks every thread placed on it."""
        if view in ("old", "clean-old"):
            return self.old_spans, ()
        if view == "clean-new":
            return (), self.new_spans
        on_old = {s.thread_id for s in self.old_spans}
        newer = tuple(s for s in self.new_spans if s.thread_id not in on_old)
        return ((), newer) if view == "new" else (self.old_spans, newer)

    def threads(self, mode: str) -> list[tuple[int, str]]:
        """(thread id, "old" | "new": the text it is marked on) for every thread marked in a
        display mode, the older text's first, each side in text order."""
        old, new = self.spans({"new": "clean-new", "old": "clean-old"}.get(mode, "inline"))
        return [(s.thread_id, "old") for s in old] + [(s.thread_id, "new") for s in new]

    def html(self, view: str) -> Markup:
        """The ops rendered: "inline" (ins and del), "old" (del only), "new" (ins only), or the
        clean texts "clean-old" and "clean-new"; commented passages marked."""
        ops = self.change.ops
        old, new = self.spans(view)
        if old or new:
            # Keyed on the spans too: the plain markup another reader gets is never touched.
            key = (view, ops, old, new)
            return MEMO.get(key, _size(ops), lambda: _marked(view, ops, old, new))
        if view.startswith("clean-"):  # plain text needs no memo: escaping is all there is
            return escape("".join(t for k, t in ops if k != _DROPPED[view]))
        return MEMO.get((view, ops), _size(ops), lambda: _RENDER[view](ops))

    def notes(self, mode: str) -> list[tuple[NoteChange, Markup]]:
        """The provision's notes as `mode` shows them: a redline inside each note (inline and
        side by side), or the clean notes of the older or newer text."""
        out = []
        for n in self.change.notes:
            if (mode == "new" and n.status == "removed") or (mode == "old" and n.status == "added"):
                continue
            if mode in ("new", "old"):  # a clean text: the note as it reads there
                dropped = _DROPPED[f"clean-{mode}"]
                out.append((n, escape("".join(t for k, t in n.ops if k != dropped))))
            else:
                out.append((n, render_inline(n.ops)))
        return out


@dataclass(frozen=True)
class Run:
    """Consecutive provisions that are shown alike: one changed provision, or several unchanged
    ones folded under a count."""

    unchanged: bool
    items: tuple[Shown, ...]


def _label(s: Snapshot | None) -> str:
    return "".join(heading_parts(s.number, s.heading, s.kind)) if s else ""


def title(change: ProvisionChange) -> str:
    """A provision's heading line as plain text: the newer one, or the older if it was removed."""
    return _label(change.after) or _label(change.before)


def _heading(change: ProvisionChange) -> Markup:
    """The heading line, with a renumbering shown once as 'Article 7 → Article 8'."""
    before, after = change.before, change.after
    if before is None or after is None:
        tag = "ins" if before is None else "del"
        return Markup(f"<{tag}>{escape(_label(after or before))}</{tag}>")  # noqa: S704
    number, sep, heading = heading_parts(after.number, after.heading, after.kind)
    old_number, _, old_heading = heading_parts(before.number, before.heading, before.kind)
    if change.renumbered:
        number_html = Markup('<span class="number-change">{} → {}</span>').format(
            old_number or "(unnumbered)", number or "(unnumbered)"
        )
    else:
        number_html = escape(number)
    if change.reheaded:
        heading_html = render_inline(redline(old_heading, heading))
    else:
        heading_html = escape(heading)
    if not sep and number and (heading or old_heading):
        sep = " – "
    return number_html + escape(sep) + heading_html


def _badges(change: ProvisionChange) -> tuple[str, ...]:
    badges = []
    if change.status in ("added", "removed"):
        badges.append(change.status)
    if change.moved:
        badges.append("moved")
    if change.renumbered:
        badges.append("renumbered")
    if change.status == "changed" and any(k != "equal" for k, _ in change.ops):
        badges.append("text changed")
    elif change.status == "changed" and change.reheaded:
        badges.append("heading changed")
    if change.status == "changed" and change.notes_changed:
        badges.append("notes changed")
    if (
        change.status == "changed"
        and change.before
        and change.after
        and (change.before.direction != change.after.direction)
    ):
        badges.append("direction changed")
    return tuple(badges)


def _size(ops: Sequence[tuple[str, str]]) -> int:
    return sum(len(text) for _, text in ops)


def _heading_key(change: ProvisionChange) -> tuple:
    """Everything the heading line depends on, and nothing bigger."""
    ends = [(s.number, s.heading, s.kind) if s else None for s in (change.before, change.after)]
    return ("heading", change.status, *ends)


def shown(change: ProvisionChange, spans: dict[int, Spans] | None = None) -> Shown:
    """One provision as the page shows it; `spans` (version id -> commented passages) marks
    the comments on either end."""
    spans = spans or {}
    if change.status == "unchanged":
        heading = escape(_label(change.shown))
    else:
        heading = MEMO.get(_heading_key(change), 0, lambda: _heading(change))
    return Shown(
        change=change,
        stats=MEMO.get(("stats", change.ops), _size(change.ops), lambda: stats(change.ops)),
        badges=_badges(change),
        heading=heading,
        heading_old=_label(change.before),
        heading_new=_label(change.after),
        old_spans=spans.get(change.from_version_id, ()) if change.before else (),
        new_spans=spans.get(change.to_version_id, ()) if change.after else (),
    )


def runs(changes: Sequence[ProvisionChange], spans: dict[int, Spans] | None = None) -> list[Run]:
    """Changed provisions one by one, unchanged neighbours folded together, in document order."""
    out: list[Run] = []
    folded: list[Shown] = []
    for change in changes:
        item = shown(change, spans)
        if item.changed:
            if folded:
                out.append(Run(True, tuple(folded)))
                folded = []
            out.append(Run(False, (item,)))
        else:
            folded.append(item)
    if folded:
        out.append(Run(True, tuple(folded)))
    return out


def summary(
    changes: Sequence[ProvisionChange], spans: dict[int, Spans] | None = None
) -> tuple[list[Run], redlines.Totals]:
    """The runs to show and the totals at the top, word counts computed once."""
    shown_runs = runs(changes, spans)
    items = [item for run in shown_runs for item in run.items]
    return shown_runs, redlines.totals([i.change for i in items], [i.stats for i in items])


def parse_mode(raw: str | None) -> str | None:
    """The display mode asked for ('inline' when absent); None when it is not one we know."""
    if raw is None or raw == "":
        return "inline"
    return raw if raw in MODES else None


# Exposed to the compare templates.
TEMPLATE_HELPERS = {
    "MODES": MODES,
    "MODE_LABELS": MODE_LABELS,
}
