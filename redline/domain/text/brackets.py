"""Square brackets: the wording a negotiation has not agreed yet.

Negotiated text marks unagreed words "[like this]", nests them ("[the [competent] authority]")
and offers alternatives side by side ("[Option A: seven days] [Option B: ten days]"). This
module finds the pairs in a version's text, lists the brackets that have no partner, and tells
what changed between two versions: pairs opened, pairs closed (settled: the words kept without
brackets, or dropped) and pairs still open.

Decisions, fixed here so the pages, the report and the API agree:
- A note marker `[^1]` (see `redline.domain.drafts.paragraphs`) is a footnote reference, not a
  bracket: it is skipped whole, also inside a bracketed passage.
- Quotation marks do not change anything: a bracket inside quotes is a bracket (negotiated
  definitions are quoted and bracketed: `"[personal] data" means`).
- A pair is known by its words (the text between the brackets, brackets included, with runs of
  white space made one): the same bracketed words in two versions are the same pair, wherever
  they moved. Two identical pairs in one text count twice.
- Offsets are Python string indices into the version's text; `end` is exclusive and includes
  the closing bracket.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

OPEN, CLOSE = "[", "]"
_NOTE_MARKER = re.compile(r"\[\^[^\]\s]{1,20}\]")
_OPTION = re.compile(r"\[\s*(Option|Alt(?:ernative)?)\s+([A-Za-z0-9]{1,4})\s*[:.)-]", re.I)
_SPACE = re.compile(r"\s+")
# Between two alternatives only white space, "or" / "ou" (French drafts), a comma or a slash.
_BETWEEN_OPTIONS = re.compile(r"\s*(?:(?:or|ou|/|,)\s*)?", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Pair:
    """One bracketed passage. `depth` 0 for an outermost pair; `option` the label of an
    alternative ("A" for "[Option A: ...]"), `group` the index of its first pair in the list
    when it stands beside other alternatives, else None."""

    start: int
    end: int
    text: str
    depth: int
    option: str | None = None
    group: int | None = None

    @property
    def inner(self) -> str:
        return self.text[1:-1]

    @property
    def key(self) -> str:
        return _SPACE.sub(" ", self.text.strip())


@dataclass(frozen=True)
class Unbalanced:
    """A bracket without its partner: an "]" closing nothing, or an "[" never closed."""

    offset: int
    char: str


@dataclass(frozen=True)
class Brackets:
    pairs: tuple[Pair, ...]
    unbalanced: tuple[Unbalanced, ...]

    @property
    def open_count(self) -> int:
        return len(self.pairs)


def parse(text: str) -> Brackets:
    """Every balanced pair in `text` (in order of their opening bracket; nested pairs each)
    and every bracket without a partner (in order of offset)."""
    stack: list[int] = []
    found: list[tuple[int, int, int]] = []
    strays: list[Unbalanced] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == OPEN:
            marker = _NOTE_MARKER.match(text, i)
            if marker:
                i = marker.end()
                continue
            stack.append(i)
        elif c == CLOSE:
            if stack:
                start = stack.pop()
                found.append((start, i + 1, len(stack)))
            else:
                strays.append(Unbalanced(i, CLOSE))
        i += 1
    strays.extend(Unbalanced(at, OPEN) for at in stack)
    found.sort()
    return Brackets(_with_options(text, found), tuple(sorted(strays, key=lambda u: u.offset)))


def _with_options(text: str, found: list[tuple[int, int, int]]) -> tuple[Pair, ...]:
    """Pairs with their alternative labels: neighbouring pairs at one depth, each starting
    "Option X:", joined only by white space or "or", form one group."""
    labels = []
    for start, _end, _depth in found:
        m = _OPTION.match(text, start)
        labels.append(m.group(2).upper() if m else None)
    groups: list[int | None] = [None] * len(found)
    for i, (_start, end, depth) in enumerate(found):
        if labels[i] is None or groups[i] is not None:
            continue
        members, last_end = [i], end
        for j in range(i + 1, len(found)):
            s2, e2, d2 = found[j]
            if d2 != depth or s2 < last_end:
                continue  # nested inside the previous alternative
            gap = _BETWEEN_OPTIONS.fullmatch(text, last_end, s2)
            if labels[j] is None or gap is None:
                break
            members.append(j)
            last_end = e2
        if len(members) > 1:
            for m in members:
                groups[m] = i
    return tuple(
        Pair(s, e, text[s:e], d, labels[k], groups[k]) for k, (s, e, d) in enumerate(found)
    )


@dataclass(frozen=True)
class Closed:
    """A pair gone from the newer text: `kept` when its words stand there without brackets
    (the wording was agreed), else dropped."""

    pair: Pair
    kept: bool


@dataclass(frozen=True)
class PairChanges:
    opened: tuple[Pair, ...]
    closed: tuple[Closed, ...]
    still_open: tuple[Pair, ...]


def changes(before: str | None, after: str | None) -> PairChanges:
    """What became of the brackets from one version's text to the next (None: no text, as
    for a provision not yet drafted or removed)."""
    old = parse(before or "").pairs
    new = parse(after or "").pairs
    old_keys = Counter(p.key for p in old)
    new_keys = Counter(p.key for p in new)
    opened = _beyond(new, old_keys)
    gone = _beyond(old, new_keys)
    words_after = _words(after or "")
    closed = tuple(Closed(p, _kept(p, words_after)) for p in gone)
    return PairChanges(opened, closed, new)


def _beyond(pairs: tuple[Pair, ...], other: Counter) -> tuple[Pair, ...]:
    """The pairs not matched by one of the same words on the other side (multiset)."""
    left = Counter(other)
    out = []
    for p in pairs:
        if left[p.key]:
            left[p.key] -= 1
        else:
            out.append(p)
    return tuple(out)


def _words(text: str) -> str:
    return " ".join(_WORD.findall(_NOTE_MARKER.sub(" ", text).casefold()))


def _kept(pair: Pair, words_after: str) -> bool:
    """The bracketed words (without an "Option A:" label) still stand in the newer text."""
    inner = _OPTION.sub("[", pair.text, count=1)[1:-1] if pair.option else pair.inner
    wanted = _words(inner)
    return bool(wanted) and f" {wanted} " in f" {words_after} "
