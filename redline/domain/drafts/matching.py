"""Match the provisions of an imported draft to the instrument's existing provisions.

A provision keeps its identity across meetings even when the drafting group renumbers it, moves
it or rewords it; otherwise comments would lose their provision and a comparison would show a
renumbered article as deleted and re-added. Evidence, strongest first:
1. identical text (non-empty, unique on both sides): the same provision, whatever its number;
2. a weighted score of text similarity, heading similarity and number equality, assigned
   one-to-one best score first (ties to the closest relative positions, so a draft's order is
   respected); pairs below `threshold` are not matched this way;
3. merges and splits: a provision whose text is almost wholly contained in another's;
4. rewrites in place: two leftover provisions that are each other's best candidate and still
   share real wording (GPLv3 Draft 1 "License Compatibility" became "Additional Terms").
Kinds must fit throughout: divisions match divisions, a preamble matches a preamble.
The evidence itself is measured in `redline.domain.text.similarity`. Real treaties of ~100
provisions match in tens of milliseconds.

Pairs are not all compared: an index (`redline.domain.drafts.candidates`) proposes, for each new
provision, the existing ones that could be it (same number, a heading word in common, a
distinctive word or three-word phrase of the text in common, a neighbour in document order),
so matching 1,000 provisions against 1,000 costs about as much as importing the draft rather
than a million comparisons.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from redline.domain.drafts.candidates import candidate_olds
from redline.domain.text.diff import Codebook
from redline.domain.text.similarity import (
    ProvisionLike,
    Side,
    combine,
    compatible,
    heading_similarity,
    jaccard,
    normal_number,
    shared_words,
)

UNCHANGED, CHANGED, NEW, REMOVED, RENUMBERED = (
    "unchanged",
    "changed",
    "new",
    "removed",
    "renumbered",
)


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
    text changed as well. `similarity` is the word-level text similarity of the pair (1.0 for
    equal texts, 0.0 for new and removed provisions).
    """

    parsed_index: int | None
    provision_id: int | None
    status: str
    text_changed: bool = False
    similarity: float = 0.0


class _Matcher:
    """One matching run over two lists of provisions.

    The exact word diff is the expensive part (milliseconds for long, much-rewritten sections),
    so it is computed lazily: pairs are ranked first by an upper bound (shared word counts,
    ignoring order) and diffed only when they could still win.
    """

    def __init__(self, olds: list[Side], news: list[Side], threshold: float) -> None:
        self.olds, self.news, self.threshold = olds, news, threshold
        self.candidates = candidate_olds(olds, news)
        self.pairs: dict[int, int] = {}  # new index -> old index
        self.taken: set[int] = set()
        self._shared: dict[tuple[int, int], int] = {}
        self._bounds: dict[tuple[int, int], int] = {}
        self._jaccards: dict[tuple[int, int], float] = {}

    def link(self, new: int, old: int) -> None:
        self.pairs[new] = old
        self.taken.add(old)

    def open_pairs(self) -> list[tuple[Side, Side]]:
        """(old, new) pairs still possible: both unmatched and of compatible kinds."""
        olds = self.olds
        return [
            (olds[o], n)
            for n in self.news
            if n.index not in self.pairs
            for o in self.candidates[n.index]
            if o not in self.taken and compatible(olds[o].item.kind, n.item.kind)
        ]

    def shared(self, o: Side, n: Side, *, exact: bool = True) -> int:
        """Words in common, in order; with `exact=False` an upper bound (order ignored)."""
        key = (o.index, n.index)
        if key in self._shared:
            return self._shared[key]
        if o.code == n.code:
            self._shared[key] = len(o.words)
        elif not exact:
            if key not in self._bounds:
                oc, nc = o.counts, n.counts  # the multiset intersection, without a Counter
                self._bounds[key] = sum(
                    min(oc[w], nc[w]) for w in o.word_set.intersection(n.word_set)
                )
            return self._bounds[key]
        else:
            self._shared[key] = shared_words(o.code, n.code)
        return self._shared[key]

    def jaccard(self, o: Side, n: Side) -> float:
        key = (o.index, n.index)
        if key not in self._jaccards:
            self._jaccards[key] = jaccard(o, n)
        return self._jaccards[key]

    def ratio(self, o: Side, n: Side, *, exact: bool = True) -> float:
        total = len(o.words) + len(n.words)
        return 2 * self.shared(o, n, exact=exact) / total if total else 1.0

    def score(self, o: Side, n: Side, *, exact: bool = True) -> float:
        parts: dict[str, float] = {}
        if o.heading or n.heading:
            parts["heading"] = heading_similarity(o.heading, n.heading)
        if o.number or n.number:
            parts["number"] = float(o.number == n.number)
        if o.words or n.words:
            jaccard = self.jaccard(o, n)
            # Few shared words: the cheap overlap is evidence enough, skip the diff.
            parts["text"] = jaccard if jaccard < 0.15 else self.ratio(o, n, exact=exact)
        return combine(parts) if parts else 0.0

    def is_exact(self, o: Side, n: Side) -> bool:
        return (o.index, n.index) in self._shared or self.jaccard(o, n) < 0.15 or o.code == n.code

    def best_first(self) -> None:
        """Greedy, best score first, lazily: a pair queued with an upper bound is scored
        exactly when it reaches the front, then queued again with its true score."""
        queue = []
        for o, n in self.open_pairs():
            bound = self.score(o, n, exact=False)
            if bound >= self.threshold:
                exact = self.is_exact(o, n)
                queue.append((-bound, not exact, abs(o.place - n.place), n.index, o.index))
        heapq.heapify(queue)
        while queue:
            _, inexact, distance, new, old = heapq.heappop(queue)
            if new in self.pairs or old in self.taken:
                continue
            if not inexact:
                self.link(new, old)
                continue
            score = self.score(self.olds[old], self.news[new])
            if score >= self.threshold:
                heapq.heappush(queue, (-score, False, distance, new, old))

    def absorbed(self) -> None:
        """The first of several merged provisions keeps the identity ("Disclaimer of Warranty"
        merged into "Disclaimer of Warranty and Limitation of Liability"); so does the first
        part of a split one. The others are removed or new."""
        found = []
        for o, n in self.open_pairs():
            shorter = min(len(o.words), len(n.words))
            if shorter < 20 or self.jaccard(o, n) < 0.15:
                continue
            if self.shared(o, n, exact=False) / shorter >= 0.8:
                contained = self.shared(o, n) / shorter
                if contained >= 0.8:
                    found.append((-round(contained, 2), o.index, n.index))
        for _, old, new in sorted(found):
            if new not in self.pairs and old not in self.taken:
                self.link(new, old)

    def mutual(self, candidates: int = 3) -> None:
        """Rewrites: each is the other's best remaining candidate (among the few most likely
        ones, to bound the diffs) and they still share real wording. Treaty articles share
        boilerplate ("Each Party shall adopt such legislative and other measures ..."), so a
        pair that changed number and heading as well needs more than that in common."""
        while True:
            likely: dict[int, list[tuple[float, Side, Side]]] = {}
            for o, n in self.open_pairs():
                if self.jaccard(o, n) >= 0.3 or (o.words and self.ratio(o, n, exact=False) >= 0.25):
                    likely.setdefault(n.index, []).append((self.score(o, n, exact=False), o, n))
            best_old: dict[int, tuple[float, int]] = {}
            best_new: dict[int, tuple[float, int]] = {}
            for rows in likely.values():
                for _, o, n in sorted(rows, key=lambda row: -row[0])[:candidates]:
                    ratio = self.ratio(o, n)
                    if self.jaccard(o, n) < 0.3 and ratio < 0.25:
                        continue  # the bound promised more shared wording than there is
                    if (
                        o.number != n.number
                        and not heading_similarity(o.heading, n.heading)
                        and ratio < 0.4
                    ):
                        continue  # moved, renamed and rewritten at once: not the same text
                    score = self.score(o, n)
                    if score > best_old.get(n.index, (-1.0, -1))[0]:
                        best_old[n.index] = (score, o.index)
                    if score > best_new.get(o.index, (-1.0, -1))[0]:
                        best_new[o.index] = (score, n.index)
            mutual = [(new, old) for new, (_, old) in best_old.items() if best_new[old][1] == new]
            for new, old in mutual:
                self.link(new, old)
            if not mutual:
                return


def match_provisions(
    existing: Sequence[Existing], parsed: Sequence[ProvisionLike], *, threshold: float = 0.45
) -> list[Match]:
    """Match `parsed` (a new draft, in document order) against `existing` provisions.

    Returns one Match per parsed provision, in parsed order, then one "removed" Match per
    existing provision left unmatched, in existing position order.
    """
    old = sorted(existing, key=lambda e: e.position)
    vocabulary = Codebook()  # one coding for both drafts: equal words, equal characters
    olds = [Side(e, i, len(old), vocabulary) for i, e in enumerate(old)]
    news = [Side(p, i, len(parsed), vocabulary) for i, p in enumerate(parsed)]
    matcher = _Matcher(olds, news, threshold)

    # Identical text is decisive. Only texts that occur once on each side are paired here;
    # repeated texts ("[Deleted]") are left to the scoring, where number and heading decide.
    old_texts = Counter(s.item.text for s in olds if s.words)
    new_texts = Counter(s.item.text for s in news if s.words)
    by_text = {s.item.text: s for s in olds if s.words and old_texts[s.item.text] == 1}
    for side in news:
        twin = by_text.get(side.item.text)
        if twin and new_texts[side.item.text] == 1 and compatible(twin.item.kind, side.item.kind):
            matcher.link(side.index, twin.index)
    matcher.best_first()
    matcher.absorbed()
    matcher.mutual()

    matches = []
    for new in news:
        if new.index not in matcher.pairs:
            matches.append(Match(new.index, None, NEW))
            continue
        before = olds[matcher.pairs[new.index]]
        similarity = matcher.ratio(before, new)
        matches.append(_matched(old[before.index], new.item, new.index, similarity))
    matches.extend(
        Match(None, e.provision_id, REMOVED) for i, e in enumerate(old) if i not in matcher.taken
    )
    return matches


def _matched(before: Existing, after: ProvisionLike, index: int, similarity: float) -> Match:
    text_changed = before.text != after.text
    if normal_number(before) != normal_number(after):
        status = RENUMBERED
    elif text_changed or (before.number, before.heading, before.kind) != (
        after.number,
        after.heading,
        after.kind,
    ):
        status = CHANGED
    else:
        status = UNCHANGED
    return Match(index, before.provision_id, status, text_changed, round(similarity, 4))
