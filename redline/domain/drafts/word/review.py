"""Tracked changes and Word comments: counted and collected before changes are resolved.

The counts follow the revisions as stored: each `w:ins`/`w:del` wrapping text is one insertion
or deletion, an inserted or deleted paragraph mark counts only when its paragraph has no such
text revision (Word shows a wholly inserted paragraph as one insertion), an inserted or deleted
table row is one, and a move is counted once (by its `w:moveFromRangeStart`, or each
`w:moveFrom` when the file has no move ranges).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from redline.domain.drafts.paragraphs import DraftComment, TrackedChanges
from redline.domain.drafts.word.package import w

W_AUTHOR = w("author")
W_COMMENT = w("comment")
W_DATE = w("date")
W_DEL = w("del")
W_ID = w("id")
W_INS = w("ins")
W_MOVEFROM = w("moveFrom")
W_MOVEFROMRANGESTART = w("moveFromRangeStart")
W_PPR = w("pPr")
W_RPR = w("rPr")
W_TCPR = w("tcPr")


def count_changes(
    roots: Iterable, comments: int, comment_authors: list[str], mode: str
) -> TrackedChanges:
    insertions = deletions = moves = move_ranges = 0
    authors: list[str] = []

    def author(element) -> None:
        name = (element.get(W_AUTHOR) or "").strip()
        if name and name not in authors:
            authors.append(name)

    for root in roots:
        if root is None:
            continue
        for element in root.iter(W_INS, W_DEL):  # document order: authors in order
            kind = "ins" if element.tag == W_INS else "del"
            parent = element.getparent()
            if parent.tag == W_RPR and parent.getparent().tag == W_PPR:
                paragraph = parent.getparent().getparent()
                if any(e is not element for e in paragraph.iter(w(kind))):
                    continue  # the mark goes with the paragraph's text revision
            elif parent.tag in (W_RPR, W_TCPR):
                continue  # formatting or cell revisions: no text
            author(element)
            if kind == "ins":
                insertions += 1
            else:
                deletions += 1
        ranges = list(root.iter(W_MOVEFROMRANGESTART))
        move_ranges += len(ranges)
        for element in [*ranges, *root.iter(W_MOVEFROM)]:
            author(element)
        if not ranges:
            moves += sum(1 for e in root.iter(W_MOVEFROM) if e.getparent().tag != W_RPR)
    for name in comment_authors:
        if name and name not in authors:
            authors.append(name)
    moves += move_ranges
    any_change = bool(insertions or deletions or moves)
    return TrackedChanges(
        insertions, deletions, moves, comments, tuple(authors), mode if any_change else None
    )


def read_comments(
    root,
    body_text: Callable,
    passages: dict[str, list[str]],
    starts: dict[str, int],
    where: Callable[[int], int],
) -> list[DraftComment]:
    """Each w:comment of comments.xml with its passage (as resolved) and paragraph index.

    `body_text(comment)` reads the comment's own text; `passages`/`starts` are what the body
    walker collected per comment id; `where(raw)` maps a raw paragraph number to the index in
    the paragraph sequence the reader returns."""
    if root is None:
        return []
    found = []
    for comment in root.iter(W_COMMENT):
        ident = comment.get(W_ID, "")
        exact = "".join(passages.get(ident, [])).strip()
        found.append(
            DraftComment(
                author=(comment.get(W_AUTHOR) or "").strip(),
                date=comment.get(W_DATE) or "",
                body=body_text(comment),
                exact=exact,
                paragraph=where(starts[ident]) if ident in starts else 0,
            )
        )
    return found
