"""How alike two provisions are: the evidence `redline.domain.drafts.matching` weighs.

Text similarity is word-level: the number of words two texts have in common, in order, found
by the diff core (`redline.domain.text.diff`) on texts coded one character per word. Headings
are compared by characters, so "Verbatim Copying" and "Conveying Verbatim Copies" count as
close. Numbers are compared after dropping "Article"/"Section", so CC BY 3.0's
"1." and 4.0's "Section 1" are the same number.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

from redline.domain.text.diff import Codebook, common_length

WORDS_RE = re.compile(r"\w+")
_NUMBER_WORDS = re.compile(r"(?i)^(?:article|art\.|section|§)\s*")
WEIGHTS = {"text": 0.55, "heading": 0.35, "number": 0.10}
_FLOWING = frozenset({"article", "annex", "other"})  # kinds a redraft may move text between


class ProvisionLike(Protocol):
    """What matching needs of a provision: ParsedProvision and Existing both qualify."""

    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...


class Side:
    """Per-provision data computed once: normalised heading and number, words."""

    def __init__(self, item: ProvisionLike, index: int, total: int, vocabulary: Codebook) -> None:
        self.item = item
        self.index = index
        self.place = index / max(total - 1, 1)  # relative position, 0.0 to 1.0
        self.words = WORDS_RE.findall(item.text.lower())
        self.word_set = frozenset(self.words)
        self.counts = Counter(self.words)
        # One character per distinct word, so a character diff is a word diff.
        self.code = vocabulary.encode(self.words)
        self.heading = " ".join(WORDS_RE.findall(item.heading.lower()))
        self.number = normal_number(item)


def normal_number(item: ProvisionLike) -> str:
    number = item.number.strip().rstrip(".").lower()
    if item.kind != "division":  # "Section 1" (CC 4.0) and "1." (CC 3.0) are the same section
        number = _NUMBER_WORDS.sub("", number)
    return " ".join(number.split())


def compatible(a: str, b: str) -> bool:
    return a == b or ({a, b} <= _FLOWING) or ("other" in (a, b) and "division" not in (a, b))


@lru_cache(maxsize=4096)
def heading_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < 0.5:
        return 0.0
    # Character ratios of unrelated headings often reach 0.4; only close wording counts.
    return max(0.0, (matcher.ratio() - 0.5) * 2)


def shared_words(a: str, b: str) -> int:
    """How many characters (here: words) the two strings have in common, in order."""
    return common_length(a, b)


def jaccard(a: Side, b: Side) -> float:
    union = len(a.word_set | b.word_set)
    return len(a.word_set & b.word_set) / union if union else 0.0


def combine(parts: dict[str, float]) -> float:
    """Weighted mean over the evidence the pair has (two headless sections: no heading)."""
    weight = sum(WEIGHTS[k] for k in parts)
    return sum(WEIGHTS[k] * v for k, v in parts.items()) / weight
