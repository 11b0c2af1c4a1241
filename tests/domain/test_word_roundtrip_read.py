"""Our own exported redline (.docx with real tracked changes and comments) reads back right:
with accept, every provision's newer heading and text; with reject, every older one."""

from __future__ import annotations

import pytest

from redline.domain.drafts.word.reading import read_word
from redline.domain.export.word import redline_docx
from tests.domain.test_word import REV, gpl_changes, gpl_comments, label, synthetic_changes


def expected(changes, view: str) -> list[str]:
    out = []
    for change in changes:
        side = change.after if view == "accept" else change.before
        if side is None:
            continue
        out.extend(x for x in [label(side), *side.text.split("\n\n")] if x.strip())
    return out


@pytest.mark.parametrize("source", ["synthetic", "gpl"])
@pytest.mark.parametrize("view", ["accept", "reject"])
def test_exported_redline_reads_back_as_either_side(source: str, view: str):
    changes = synthetic_changes() if source == "synthetic" else gpl_changes()
    comments = gpl_comments(changes) if source == "gpl" else ()
    data = redline_docx("Title", "Redline", changes, REV, comments)
    paragraphs, extras = read_word(data, view)
    texts = [p.text for p in paragraphs][2:]  # after the title and subtitle
    assert texts == expected(changes, view)
    assert extras.tracked.resolved == view and extras.tracked.insertions > 0
    assert extras.tracked.deletions > 0 and REV.author in extras.tracked.authors
    assert len(extras.comments) == extras.tracked.comments >= len(comments)
