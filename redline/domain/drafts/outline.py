"""The outline of an instrument: its divisions (parts, chapters, sections) and the provisions
under them, nested by the structure the importer found.

A division's rank comes from the word its number or heading starts with ("Part I", "Chapter
II", "Section 1"...); an unknown division word ranks as a chapter. Every other provision
(article, preamble, annex) hangs under the latest division before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

RANKS = {
    "part": 0,
    "partie": 0,
    "title": 0,
    "titre": 0,
    "book": 0,
    "chapter": 1,
    "chapitre": 1,
    "section": 2,
    "subsection": 3,
    "sub-section": 3,
    "sous-section": 3,
}
CHAPTER = RANKS["chapter"]
_FIRST_WORD = re.compile(r"\s*([^\W\d_][\w-]*)", re.UNICODE)


def division_rank(number: str, heading: str) -> int:
    """0 for a part or title, 1 a chapter, 2 a section, 3 a sub-section."""
    for words in (number, heading):
        m = _FIRST_WORD.match(words or "")
        if m and m.group(1).casefold() in RANKS:
            return RANKS[m.group(1).casefold()]
    return CHAPTER


@dataclass
class Node(Generic[T]):
    item: T
    children: list[Node[T]] = field(default_factory=list)


def nest(items: Iterable[T], rank_of) -> list[Node[T]]:
    """Items in document order as a tree: `rank_of(item)` is a division's rank, or None for a
    provision (a leaf under the latest division). A division closes every division of the
    same or a lower rank before it."""
    roots: list[Node[T]] = []
    open_divisions: list[tuple[int, Node[T]]] = []
    for item in items:
        node = Node(item)
        rank = rank_of(item)
        if rank is not None:
            while open_divisions and open_divisions[-1][0] >= rank:
                open_divisions.pop()
        parent = open_divisions[-1][1].children if open_divisions else roots
        parent.append(node)
        if rank is not None:
            open_divisions.append((rank, node))
    return roots
