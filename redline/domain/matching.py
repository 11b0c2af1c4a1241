"""Match the provisions of an imported draft to the instrument's existing provisions.

A provision keeps its identity across meetings even when the drafting group renumbers it, moves
it or rewords it; otherwise comments would lose their provision and a comparison would show a
renumbered article as deleted and re-added. Evidence, strongest first:
- identical text (non-empty): always the same provision, whatever its number now;
- text similarity (word-level `difflib` ratio), same heading, same number;
- the kind must fit: divisions match divisions, a preamble matches a preamble.
Pairs are scored on those, then assigned one-to-one, best score first; ties go to the pair whose
relative positions in the two documents are closest, so reordering stays rare. Pairs below
`threshold` are not matched: the old provision is "removed" and the new one "new".

Cost: word sets (Jaccard) are compared for every pair; the quadratic `difflib` ratio only runs
for pairs that share enough words or a heading or number, so ~100 x ~100 provisions take a few
tens of milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

UNCHANGED, CHANGED, NEW, REMOVED, RENUMBERED = (
    "unchanged", "changed", "new", "removed", "renumbered"
)
_WORDS = re.compile(r"\w+")
_NUMBER_WORDS = re.compile(r"(?i)^(?:article|art\.|section|§)\s*")
_WEIGHTS = {"text": 0.55, "heading": 0.35, "number": 0.10}
_FLOWING = frozenset({"article", "annex", "other"})  # kinds a redraft may move text between


class ProvisionLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Existing:
    """A provision of the instrument as it stands now (its newest version)."""

    provision_id: int
    number: str
    heading: str
    kind: str
    text: str
    position: int


@dataclass(frozen=True)
class Match:
    """What became of one provision: matched (unchanged/changed/renumbered), new or removed.

    `renumbered` means the same provision under a new number; `text_changed` says whether its
    text changed as well. `similarity` is the text similarity of the pair (1.0 identical, 0.0 for
    new and removed provisions).
    """

    parsed_index: int | None
    provision_id: int | None
    status: str
    text_changed: bool = False
    similarity: float = 0.0


class _Side:
    """Per-provision data computed once: normalised heading and number, words."""

    def __init__(self, item: ProvisionLike, index: int, total: int) -> None:
        self.item = item
        self.index = index
        self.place = index / max(total - 1, 1)  # relative position, 0.0 to 1.0
        self.words = _WORDS.findall(item.text.lower())
        self.word_set = frozenset(self.words)
        self.heading = " ".join(_WORDS.findall(item.heading.lower()))
        self.number = _normal_number(item)


def _normal_number(item: ProvisionLike) -> str:
    number = item.number.strip().rstrip(".").lower()
    if item.kind != "division":  # "Section 1" (CC 4.0) and "1." (CC 3.0) are the same section
        number = _NUMBER_WORDS.sub("", number)
    return " ".join(number.split())


def _compatible(a: str, b: str) -> bool:
    return a == b or ({a, b} <= _FLOWING) or ("other" in (a, b) and "division" not in (a, b))


def _heading_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    # Character ratios of unrelated headings often reach 0.4; only close wording counts.
    return max(0.0, (ratio - 0.5) * 2)


def _score(a: _Side, b: _Side, floor: float) -> tuple[float, float] | None:
    """(score, text similarity) of a pair, or None when it cannot reach `floor`."""
    parts: dict[str, float] = {}
    if a.heading or b.heading:
        parts["heading"] = _heading_similarity(a.heading, b.heading)
    if a.number or b.number:
        parts["number"] = float(a.number == b.number)
    if a.words or b.words:
        union = len(a.word_set | b.word_set)
        jaccard = len(a.word_set & b.word_set) / union if union else 0.0
        if jaccard < 0.15:  # too few shared words to be worth the quadratic ratio
            parts["text"] = jaccard
        else:
            matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
            # quick_ratio() bounds ratio() from above and costs little: prune on it first.
            if _combine({**parts, "text": matcher.quick_ratio()}) < floor:
                return None
            parts["text"] = 1.0 if a.item.text == b.item.text else matcher.ratio()
    if not parts:
        return None
    return _combine(parts), parts.get("text", 0.0)


def _combine(parts: dict[str, float]) -> float:
    """Weighted mean over the evidence both sides have (two headless sections: no heading)."""
    weight = sum(_WEIGHTS[k] for k in parts)
    return sum(_WEIGHTS[k] * v for k, v in parts.items()) / weight


def match_provisions(
    existing: Sequence[Existing], parsed: Sequence[ProvisionLike], *, threshold: float = 0.45
) -> list[Match]:
    """Match `parsed` (a new draft, in document order) against `existing` provisions.

    Returns one Match per parsed provision, in parsed order, then one "removed" Match per
    existing provision left unmatched, in existing position order.
    """
    old = sorted(existing, key=lambda e: e.position)
    olds = [_Side(e, i, len(old)) for i, e in enumerate(old)]
    news = [_Side(p, i, len(parsed)) for i, p in enumerate(parsed)]
    pairs: dict[int, tuple[int, float]] = {}  # new index -> (old index, text similarity)
    taken: set[int] = set()

    # Identical text is decisive. Only texts that occur once on each side are paired here;
    # repeated texts ("[Deleted]") are left to the scoring, where number and heading decide.
    old_texts = Counter(s.item.text for s in olds if s.words)
    new_texts = Counter(s.item.text for s in news if s.words)
    by_text = {s.item.text: s.index for s in olds if s.words and old_texts[s.item.text] == 1}
    for side in news:
        text = side.item.text
        if new_texts[text] == 1 and text in by_text:
            candidate = olds[by_text[text]]
            if _compatible(candidate.item.kind, side.item.kind):
                pairs[side.index] = (candidate.index, 1.0)
                taken.add(candidate.index)

    scored: list[tuple[float, float, int, int, float]] = []
    for new in news:
        if new.index in pairs:
            continue
        for o in olds:
            if o.index in taken or not _compatible(o.item.kind, new.item.kind):
                continue
            result = _score(o, new, threshold)
            if result is not None and result[0] >= threshold:
                distance = abs(o.place - new.place)
                scored.append((-result[0], distance, new.index, o.index, result[1]))
    scored.sort()
    for _, _, new_index, old_index, text in scored:
        if new_index not in pairs and old_index not in taken:
            pairs[new_index] = (old_index, text)
            taken.add(old_index)

    matches = []
    for new in news:
        if new.index not in pairs:
            matches.append(Match(new.index, None, NEW))
            continue
        old_index, similarity = pairs[new.index]
        before = old[old_index]
        matches.append(_matched(before, new.item, new.index, similarity))
    matches.extend(
        Match(None, e.provision_id, REMOVED) for i, e in enumerate(old) if i not in taken
    )
    return matches


def _matched(before: Existing, after: ProvisionLike, index: int, similarity: float) -> Match:
    text_changed = before.text != after.text
    if _normal_number(before) != _normal_number(after):
        status = RENUMBERED
    elif text_changed or (before.number, before.heading, before.kind) != (
        after.number, after.heading, after.kind
    ):
        status = CHANGED
    else:
        status = UNCHANGED
    similarity = similarity if text_changed else 1.0  # two empty division texts are equal
    return Match(index, before.provision_id, status, text_changed, round(similarity, 4))
