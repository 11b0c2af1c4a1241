"""How a comparison is shown: heading lines, badges, unchanged provisions folded into runs.

Presentation only (no session, no request): the pages and their htmx fragments share it. All text
is escaped here or by Jinja; the only markup produced is <ins>, <del> and <span>.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup, escape

from redline.domain.compare import ProvisionChange, Snapshot
from redline.domain.redline import Stats, redline, render_inline, render_new, render_old, stats
from redline.domain.word import heading_parts
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


@dataclass(frozen=True)
class Shown:
    """One provision of a comparison, with what the page says about it."""

    change: ProvisionChange
    stats: Stats
    badges: tuple[str, ...]
    heading: Markup  # the heading line for inline and side-by-side views
    heading_old: str
    heading_new: str

    @property
    def changed(self) -> bool:
        return self.change.status != "unchanged"

    @property
    def anchor(self) -> str:
        return f"change-{self.change.provision_id}"

    def html(self, side: str) -> Markup:
        """The ops rendered: "inline" (ins and del), "old" (del only) or "new" (ins only)."""
        ops = self.change.ops
        return MEMO.get((side, ops), _size(ops), lambda: _RENDER[side](ops))


@dataclass(frozen=True)
class Run:
    """Consecutive provisions that are shown alike: one changed provision, or several unchanged
    ones folded under a count."""

    unchanged: bool
    items: tuple[Shown, ...]


def _label(s: Snapshot | None) -> str:
    return "".join(heading_parts(s.number, s.heading, s.kind)) if s else ""


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
    return tuple(badges)


def _size(ops: Sequence[tuple[str, str]]) -> int:
    return sum(len(text) for _, text in ops)


def _heading_key(change: ProvisionChange) -> tuple:
    """Everything the heading line depends on, and nothing bigger."""
    ends = [(s.number, s.heading, s.kind) if s else None for s in (change.before, change.after)]
    return ("heading", change.status, *ends)


def shown(change: ProvisionChange) -> Shown:
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
    )


def runs(changes: Sequence[ProvisionChange]) -> list[Run]:
    """Changed provisions one by one, unchanged neighbours folded together, in document order."""
    out: list[Run] = []
    folded: list[Shown] = []
    for change in changes:
        item = shown(change)
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


def summary(changes: Sequence[ProvisionChange]) -> tuple[list[Run], redlines.Totals]:
    """The runs to show and the totals at the top, word counts computed once."""
    shown_runs = runs(changes)
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
