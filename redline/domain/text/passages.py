"""Passages of a provision's text: commented ranges highlighted, a quoted passage found.

Pure functions over strings. Offsets are Python code points, like every anchor.

:func:`highlight` escapes the text and wraps each commented range in ``<mark>``. Ranges may
overlap: the text is cut at every range boundary and each piece is marked with all the threads
covering it, so the marks never nest and the element's text content is exactly the provision
text (the browser computes selection offsets on it). An empty ``<span id="passage-N">`` before
each range lets the margin link to the passage without adding any text.

:func:`highlight_ops` does the same inside a redline (``<ins>``/``<del>`` ops), for comments
placed on the old text (struck passages included) or on the new one.

:func:`locate` finds the passage someone typed or pasted (the keyboard way to comment without
selecting): it must occur exactly once, or they are asked for more words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """One thread's passage on the displayed text; ``changed`` when edits fell inside it."""

    start: int
    end: int
    thread_id: int
    changed: bool = False


class PassageNotFound(ValueError):
    """The quoted words are not in the text, or not only once; the message says which."""


def _pieces(length: int, spans: Sequence[Span]) -> list[tuple[int, int, list[Span]]]:
    """Cut [0, length) at every span boundary: (start, end, spans covering the piece)."""
    valid = [s for s in spans if 0 <= s.start < s.end <= length]
    cuts = sorted({0, length, *(s.start for s in valid), *(s.end for s in valid)})
    starts: dict[int, list[Span]] = {}
    ends: dict[int, list[Span]] = {}
    for s in valid:
        starts.setdefault(s.start, []).append(s)
        ends.setdefault(s.end, []).append(s)
    active: dict[int, Span] = {}
    covering: list[Span] = []
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in ends or a in starts:  # the covering set changes only at a boundary
            for s in ends.get(a, ()):
                active.pop(s.thread_id, None)
            for s in starts.get(a, ()):
                active[s.thread_id] = s
            covering = sorted(active.values(), key=lambda s: s.thread_id)
        out.append((a, b, covering))
    return out


def _open_tag(covering: list[Span], described_by: str = "") -> str:
    """The <mark> start tag for a piece covered by these threads ("" for plain text); with
    `described_by`, an id prefix, it names the elements describing each thread (assistive
    technology reads them with the passage)."""
    if not covering:
        return ""
    classes = "anchor"
    if len(covering) > 1:
        classes += " overlap"
    if all(s.changed for s in covering):
        classes += " changed"
    threads = " ".join([str(s.thread_id) for s in covering])
    described = ""
    if described_by:
        ids = " ".join(f"{escape(described_by)}{s.thread_id}" for s in covering)
        described = f' aria-describedby="{ids}"'
    return f'<mark class="{classes}" data-threads="{threads}"{described}>'


def _mark(text: str, covering: list[Span], described_by: str = "") -> str:
    tag = _open_tag(covering, described_by)
    return f"{tag}{escape(text)}</mark>" if tag else str(escape(text))


def _points(a: int, spans: Iterable[Span], done: set[int]) -> str:
    out = []
    for s in spans:
        if s.start == a and s.thread_id not in done:
            done.add(s.thread_id)
            out.append(f'<span class="passage" id="passage-{s.thread_id}"></span>')
    return "".join(out)


def highlight(text: str, spans: Sequence[Span], described_by: str = "") -> Markup:
    """The text, escaped, with ``<mark>`` around every (possibly overlapping) span; with
    ``described_by`` (an id prefix) each mark names ``<prefix><thread id>`` of every thread
    covering it in ``aria-describedby``, so the passage is read with its comments.

    A sweep over the span boundaries; a provision may carry a thousand comments, so the
    start tag is rebuilt only where the set of covering threads changes.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not valid:
        return escape(text)
    starts: dict[int, list[Span]] = {}
    ends: dict[int, list[int]] = {}
    for s in valid:
        starts.setdefault(s.start, []).append(s)
        ends.setdefault(s.end, []).append(s.thread_id)
    cuts = sorted({0, len(text), *starts, *ends})
    active: dict[int, bool] = {}  # thread id -> changed
    parts: list[str] = []
    tag = ""
    for a, b in zip(cuts, cuts[1:], strict=False):
        for tid in ends.get(a, ()):
            del active[tid]
        for s in sorted(starts.get(a, ()), key=lambda s: s.thread_id):
            active[s.thread_id] = s.changed
            parts.append(f'<span class="passage" id="passage-{s.thread_id}"></span>')
        if a in starts or a in ends:
            tag = ""
            if active:
                classes = "anchor"
                if len(active) > 1:
                    classes += " overlap"
                if all(active.values()):
                    classes += " changed"
                threads = " ".join(map(str, sorted(active)))
                described = ""
                if described_by:
                    ids = " ".join(f"{escape(described_by)}{t}" for t in sorted(active))
                    described = f' aria-describedby="{ids}"'
                tag = f'<mark class="{classes}" data-threads="{threads}"{described}>'
        piece = escape(text[a:b])
        parts.append(f"{tag}{piece}</mark>" if tag else piece)
    return Markup("".join(parts))  # noqa: S704 - every piece of text went through escape()


def highlight_ops(
    ops: Sequence[tuple[str, str]],
    old_spans: Sequence[Span],
    new_spans: Sequence[Span],
    described_by: str = "",
) -> Markup:
    """A redline (ops "equal" | "insert" | "delete") with commented passages marked.

    ``old_spans`` are offsets in the old text (the equal + delete ops), ``new_spans`` in the
    new text (equal + insert); a struck passage is marked inside its ``<del>``. With
    ``described_by`` (an id prefix) each mark carries ``aria-describedby`` naming
    ``<prefix><thread id>`` for every thread covering it.
    """
    old_len = sum(len(t) for k, t in ops if k != "insert")
    new_len = sum(len(t) for k, t in ops if k != "delete")
    old_pieces, new_pieces = _pieces(old_len, old_spans), _pieces(new_len, new_spans)
    done: set[int] = set()
    parts = []
    o = n = 0
    for kind, text in ops:
        cuts = set()
        if kind != "insert":
            cuts |= {a - o for a, _, _ in old_pieces if o < a < o + len(text)}
        if kind != "delete":
            cuts |= {a - n for a, _, _ in new_pieces if n < a < n + len(text)}
        bounds = [0, *sorted(cuts), len(text)]
        inner = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            on_old = _covering(old_pieces, o + a) if kind != "insert" else []
            on_new = _covering(new_pieces, n + a) if kind != "delete" else []
            inner.append(_points(o + a, on_old, done) + _points(n + a, on_new, done))
            covering = list({s.thread_id: s for s in on_old + on_new}.values())
            inner.append(_mark(text[a:b], covering, described_by))
        body = "".join(inner)
        if kind == "insert":
            parts.append(f"<ins>{body}</ins>")
        elif kind == "delete":
            parts.append(f"<del>{body}</del>")
        else:
            parts.append(body)
        if kind != "insert":
            o += len(text)
        if kind != "delete":
            n += len(text)
    return Markup("".join(parts))  # noqa: S704 - every piece of text went through escape()


def _covering(pieces: list[tuple[int, int, list[Span]]], at: int) -> list[Span]:
    lo, hi = 0, len(pieces)
    while lo < hi:  # the piece holding offset `at`
        mid = (lo + hi) // 2
        if pieces[mid][1] <= at:
            lo = mid + 1
        else:
            hi = mid
    return list(pieces[lo][2]) if lo < len(pieces) else []


def locate(text: str, quote: str) -> tuple[int, int]:
    """Where the quoted words stand in ``text``: (start, end), if they occur exactly once.

    Runs of whitespace match any whitespace (a paste may join lines); case matters unless
    the words occur in no other case. A plain string search over the text with its
    whitespace runs collapsed: no regular expression is built from what someone typed, and
    the work is linear in the text and the quote.
    """
    words = quote.split()
    if not words:
        raise PassageNotFound("Type or paste the words you comment on.")
    flat = _Flattened(text)
    needle = " ".join(words)
    found = _occurrences(flat.text, needle)
    if not found:
        found = _occurrences(_lower(flat.text), _lower(needle))
    if not found:
        raise PassageNotFound(
            "Those words are not in this version of the text; copy them exactly as written."
        )
    if len(found) > 1:
        raise PassageNotFound(
            f"Those words occur {len(found)} times in the text; add a few words before or "
            "after them so that they point to one passage."
        )
    at = found[0]
    return flat.original(at), flat.original(at + len(needle) - 1) + 1


class _Flattened:
    """The text's words joined by single spaces, with the way back to the text's offsets."""

    def __init__(self, text: str) -> None:
        self.flat_starts: list[int] = []
        self.starts: list[int] = []
        pieces = []
        at = 0
        for m in _WORD.finditer(text):  # a fixed pattern: runs of non-whitespace
            self.flat_starts.append(at)
            self.starts.append(m.start())
            pieces.append(m.group())
            at += len(m.group()) + 1
        self.text = " ".join(pieces)

    def original(self, flat_offset: int) -> int:
        """The text offset of a character of a word (never of a joining space)."""
        i = bisect_right(self.flat_starts, flat_offset) - 1
        return self.starts[i] + flat_offset - self.flat_starts[i]


_WORD = re.compile(r"\S+")


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Start offsets of the non-overlapping occurrences, left to right."""
    found = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + len(needle))
    return found


def _lower(s: str) -> str:
    """Lower case, character by character where lowering would change the length (e.g. a
    dotted capital I), so that offsets stay those of the original text."""
    lowered = s.lower()
    if len(lowered) == len(s):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in s)
