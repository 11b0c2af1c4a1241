"""What a reader typed into the search box, and where it matches a text.

The words: unquoted words must all occur (AND), "a phrase" occurs exactly (its words one after
the other), and a word ending in `*` matches every word it begins ("a phr"* too). Words are
runs of letters and digits, compared without case and accents, so "Article 6", "6" and
"article" all find Article 6. Both engines (SQLite FTS5, PostgreSQL full-text search) get
their query from `Terms`; `find` is the same rule over one text, in pure Python: it places the
highlights and is the brute-force scan the tests compare the engines with.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_QUERY = 500  # characters typed
MAX_TERMS = 20  # words and phrases: a longer query is a paste, not a search
_TOKEN = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'"([^"]*)"?(\*?)|(\S+)')


class BadQuery(ValueError):
    """The query cannot be searched for (empty, too long); the message says why."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded tokens, in order (one word, or a phrase)
    prefix: bool = False  # the last word matches every word it begins


@dataclass(frozen=True)
class Terms:
    terms: tuple[Term, ...]

    def fts5(self) -> str:
        """An FTS5 MATCH expression: "each" AND "quoted phrase" AND "pre"*."""
        parts = []
        for t in self.terms:
            part = '"' + " ".join(t.words) + '"'
            parts.append(part + "*" if t.prefix else part)
        return " AND ".join(parts)

    def websearch(self) -> str:
        """The whole words and phrases for websearch_to_tsquery (each quoted: AND, exact)."""
        return " ".join('"' + " ".join(t.words) + '"' for t in self.terms if not t.prefix)

    def prefixes(self) -> str:
        """The prefix terms for to_tsquery('simple', ...): 'word <-> pre:*' & ..."""
        out = []
        for t in self.terms:
            if t.prefix:
                out.append("(" + " <-> ".join(t.words[:-1] + (t.words[-1] + ":*",)) + ")")
        return " & ".join(out)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Case and accents away, as both engines compare words (cached: texts repeat words)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse(query: str) -> Terms:
    if len(query) > MAX_QUERY:
        raise BadQuery(f"A search is at most {MAX_QUERY} characters.")
    terms: list[Term] = []
    for quoted, star, bare in _PIECE.findall(query):
        prefix = bool(star) or bare.endswith("*")
        words = tuple(fold(w) for w in _TOKEN.findall(bare or quoted))
        if words and Term(words, prefix) not in terms:
            terms.append(Term(words, prefix))
    if not terms:
        raise BadQuery("Type the words to search for.")
    if len(terms) > MAX_TERMS:
        raise BadQuery(f"A search has at most {MAX_TERMS} words or phrases.")
    return Terms(tuple(terms))


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of the text."""
    return [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]


def find(terms: Terms, text: str) -> list[tuple[int, int]] | None:
    """The spans where the terms occur in the text, or None unless every term occurs."""
    spans = highlights(terms, text, every=True)
    return None if spans is None else spans


def highlights(terms: Terms, text: str, every: bool = False) -> list[tuple[int, int]] | None:
    """The spans where any term occurs (`every`: None unless each term occurs somewhere)."""
    toks = tokens(text)
    words = [w for _, _, w in toks]
    spans: list[tuple[int, int]] = []
    for term in terms.terms:
        n = len(term.words)
        found = False
        for i in range(len(words) - n + 1):
            head, last = words[i : i + n - 1], words[i + n - 1]
            ok_last = last.startswith(term.words[-1]) if term.prefix else last == term.words[-1]
            if ok_last and tuple(head) == term.words[:-1]:
                spans.append((toks[i][0], toks[i + n - 1][1]))
                found = True
        if not found and every:
            return None
    return sorted(spans)


def snippet(text: str, spans: list[tuple[int, int]], width: int = 80) -> list[tuple[str, bool]]:
    """The text around the first match, as (piece, matched) runs, with an ellipsis where it is
    cut; the whole of a short text. No markup: the template marks the matched runs."""
    if not spans:
        cut = text[: 2 * width]
        return [(cut + ("…" if len(cut) < len(text) else ""), False)]
    lo = max(0, spans[0][0] - width)
    hi = min(len(text), spans[0][1] + width)
    lo = text.rfind(" ", 0, lo) + 1 if lo else 0
    end = text.find(" ", hi)
    hi = len(text) if end < 0 else end
    runs: list[tuple[str, bool]] = [("…", False)] if lo else []
    at = lo
    for start, stop in spans:
        if start < at or stop > hi:
            continue
        runs += [(text[at:start], False), (text[start:stop], True)]
        at = stop
    runs.append((text[at:hi] + ("…" if hi < len(text) else ""), False))
    return [(piece, marked) for piece, marked in runs if piece]


def plain(runs: list[tuple[str, bool]]) -> str:
    return "".join(piece for piece, _ in runs)
