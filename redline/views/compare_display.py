"""How a comparison is shown: heading lines, badges, unchanged provisions folded into runs.

Presentation only (no session, no request): the pages and their htmx fragments share it. All text
is escaped here or by Jinja; the only markup produced is <ins>, <del> and <span>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from redline.domain.compare import ProvisionChange, Snapshot
from redline.domain.redline import Stats, redline, render_inline, render_new, render_old, stats
from redline.domain.word import heading_parts

MODES = ("inline", "side", "new", "old")
MODE_LABELS = {
    "inline": "Inline redline",
    "side": "Side by side",
    "new": "Clean new text",
    "old": "Clean old text",
}


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


def shown(change: ProvisionChange) -> Shown:
    return Shown(
        change=change,
        stats=stats(change.ops),
        badges=_badges(change),
        heading=_heading(change) if change.status != "unchanged" else escape(_label(change.shown)),
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


def parse_mode(raw: str | None) -> str | None:
    """The display mode asked for ('inline' when absent); None when it is not one we know."""
    if raw is None or raw == "":
        return "inline"
    return raw if raw in MODES else None


# Exposed to the compare templates, so they render ops without knowing the engine.
TEMPLATE_HELPERS = {
    "render_inline": render_inline,
    "render_old": render_old,
    "render_new": render_new,
    "MODES": MODES,
    "MODE_LABELS": MODE_LABELS,
}
