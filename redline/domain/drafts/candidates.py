"""Which existing provisions a new one could be: the index that keeps matching from comparing
every pair (1,000 x 1,000 provisions took 70 s when it did).

A pair is a candidate when it has evidence matching could weigh:

* the same number (after dropping "Article"/"Section");
* a distinctive heading word in common, compared by its first five letters ("Licence" and
  "License");
* two distinctive words or three-word phrases of the text in common;

distinctive meaning found in few existing provisions (boilerplate such as "each party shall
adopt", or "Article" in every heading, is in many and proves nothing);
* neighbours in document order (a provision rewritten in place keeps its place);
* two provisions without text (divisions), when there are not too many of them.

A pair with none of these shares no number, no heading word and no distinctive wording: its
score stays below any useful threshold, so leaving it out changes no result on real drafts
(tests/domain/test_matching.py). The work is linear in the size of both drafts, times the
few provisions each key points to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from redline.domain.text.similarity import Side

NEIGHBOURS = 3  # old provisions on each side of the new one's relative place
_STEM = 5  # heading words compare by their first letters
_PHRASE = 3  # words per phrase
_TEXTLESS_PAIRS = 40_000  # all textless pairs compared up to this many


def _rare_cap(count: int) -> int:
    """How many existing provisions a word or phrase may occur in and still be evidence."""
    return max(8, count // 50)


def _heading_keys(side: Side) -> set[str]:
    return {w[:_STEM] for w in side.heading.split() if len(w) >= 3}


def _text_keys(side: Side) -> set[str]:
    code = side.code  # one character per word
    keys = set(code)
    keys.update(code[i : i + _PHRASE] for i in range(len(code) - _PHRASE + 1))
    return keys


def _index(olds: Sequence[Side], keys_of) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for o in olds:
        for key in keys_of(o):
            index[key].append(o.index)
    return index


def candidate_olds(olds: Sequence[Side], news: Sequence[Side]) -> dict[int, list[int]]:
    """For each new provision's index, the indexes of the existing provisions it may be,
    in existing order."""
    by_number: dict[str, list[int]] = defaultdict(list)
    for o in olds:
        if o.number:
            by_number[o.number].append(o.index)
    cap = _rare_cap(len(olds))
    by_heading = {k: v for k, v in _index(olds, _heading_keys).items() if len(v) <= cap}
    by_text = {k: v for k, v in _index(olds, _text_keys).items() if len(v) <= cap}
    textless_old = [o.index for o in olds if not o.words]
    textless_new = sum(1 for n in news if not n.words)
    all_textless = len(textless_old) * textless_new <= _TEXTLESS_PAIRS

    out: dict[int, list[int]] = {}
    last = len(olds) - 1
    for n in news:
        found: set[int] = set()
        if n.number:
            found.update(by_number.get(n.number, ()))
        _collect(found, by_heading, _heading_keys(n))
        found.update(_shared_twice(by_text, _text_keys(n)))
        if last >= 0:
            at = round(n.place * last)
            found.update(range(max(0, at - NEIGHBOURS), min(last, at + NEIGHBOURS) + 1))
        if not n.words and all_textless:
            found.update(textless_old)
        out[n.index] = sorted(found)
    return out


def _shared_twice(index: dict[str, list[int]], keys: Iterable[str]) -> list[int]:
    """Existing provisions sharing at least two distinctive words or phrases: one alone is
    chance (a defined term, a cross-reference)."""
    hits: dict[int, int] = defaultdict(int)
    for key in keys:
        for old in index.get(key, ()):
            hits[old] += 1
    return [old for old, count in hits.items() if count >= 2]


def _collect(found: set[int], index: dict[str, list[int]], keys: Iterable[str]) -> None:
    for key in keys:
        hits = index.get(key)
        if hits:
            found.update(hits)
