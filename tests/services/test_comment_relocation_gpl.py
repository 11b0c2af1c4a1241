"""Relocation over the whole GPLv3 drafting history, at the service level.

Discussion Draft 1 is imported through the real importer; a comment is made on every sentence
of every section (and on single common words, the look-alike trap); then Draft 2, Draft 3, the
Last Call Draft and the final text are imported one after the other. After each import every
comment must have exactly one cached placement on each new version of its provision, and each
placement must keep the API's promise: "anchored" means the text there equals the quote,
"orphaned" means no offsets. Nothing is ever lost: every comment stays findable on the final
text, placed or listed apart.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from redline.models import Comment, CommentAnchor, Version
from redline.services import comment_threads, comments, imports, uploads

TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"
DRAFTS = [
    ("Discussion Draft 1", date(2006, 1, 16), "GPLv3_discussion-draft-1_2006-01-16.txt"),
    ("Discussion Draft 2", date(2006, 7, 27), "GPLv3_discussion-draft-2_2006-07-27.txt"),
    ("Discussion Draft 3", date(2007, 3, 28), "GPLv3_discussion-draft-3_2007-03-28.txt"),
    ("Last Call Draft", date(2007, 5, 31), "GPLv3_last-call-draft_2007-05-31.txt"),
    ("GPLv3 final", date(2007, 6, 29), "GPL-3.0_2007-06-29.txt"),
]
SENTENCE = re.compile(r"[^.;:\n]+[.;:]?")


def _import(db_session, instrument, title, on, filename):
    path = TEXTS / filename
    draft = uploads.parse_upload(filename, path.read_bytes(), 1_000_000)
    return imports.apply_import(
        db_session,
        instrument=instrument,
        slug="gplv3",
        title="GPLv3",
        meeting_title=title,
        on=on,
        kind="plenary",
        draft=draft,
        actor=None,
    )


def _passages(text: str) -> list[tuple[int, int]]:
    """Every sentence (trimmed), and the first 'the' and 'License' of the text."""
    spans = []
    for m in SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 3:
            spans.append((s, e))
    for word in (" the ", " License "):
        at = text.find(word)
        if at >= 0:
            spans.append((at + 1, at + len(word) - 1))
    return spans


@pytest.fixture
def history(db_session, users):
    result = _import(db_session, None, *DRAFTS[0])
    instrument = result.instrument
    first = db_session.scalars(
        sa.select(Version).where(Version.meeting_id == result.meeting.id)
    ).all()
    made = 0
    for version in first:
        for start, end in _passages(version.text):
            comments.create_comment(
                db_session,
                users["drafter"],
                version.provision,
                body="On this sentence.",
                version_id=version.id,
                start=start,
                end=end,
                exact=version.text[start:end],
            )
            made += 1
    db_session.commit()
    return instrument, made


def _check_placements(db_session, meeting_id):
    """Every comment whose provision got a new version at this meeting is placed on it once,
    and every placement keeps its promise."""
    new = db_session.scalars(sa.select(Version).where(Version.meeting_id == meeting_id)).all()
    statuses = {"anchored": 0, "changed": 0, "orphaned": 0}
    for version in new:
        roots = db_session.scalars(
            sa.select(Comment).where(
                Comment.provision_id == version.provision_id, Comment.parent_id.is_(None)
            )
        ).all()
        anchors = {
            a.comment_id: a
            for a in db_session.scalars(
                sa.select(CommentAnchor).where(CommentAnchor.version_id == version.id)
            )
        }
        assert set(anchors) == {c.id for c in roots}
        for c in roots:
            a = anchors[c.id]
            statuses[a.status] += 1
            if a.status == "orphaned":
                assert a.start is None and a.end is None
            else:
                assert 0 <= a.start < a.end <= len(version.text)
            if a.status == "anchored":
                assert version.text[a.start : a.end] == c.exact
    return statuses


def test_comments_on_draft_1_follow_every_later_draft(db_session, users, history):
    instrument, made = history
    assert made > 150  # every sentence of every section
    totals = []
    for title, on, filename in DRAFTS[1:]:
        result = _import(db_session, instrument, title, on, filename)
        db_session.commit()
        totals.append(_check_placements(db_session, result.meeting.id))
    print("placements per import:", totals)
    # Drafts rewrite a lot, keep a lot: all three outcomes occur at every step.
    for statuses in totals[:3]:
        assert statuses["anchored"] > 0 and statuses["orphaned"] > 0
    assert sum(t["changed"] for t in totals) > 0
    # Nothing is lost: on the final text every comment is placed or listed apart.
    shown = 0
    for provision_id in db_session.scalars(sa.select(Comment.provision_id).distinct()):
        head = db_session.scalar(
            sa.select(Version)
            .where(Version.provision_id == provision_id)
            .order_by(Version.id.desc())
            .limit(1)
        )
        threads = comment_threads.threads_on(db_session, users["observer"], head)
        shown += len(threads)
        for t in threads:
            if t.placement.status == "anchored":
                assert head.text[t.placement.start : t.placement.end] == t.root.exact
    assert shown == made


def test_a_sentence_kept_word_for_word_stays_anchored_to_the_end(db_session, users, history):
    instrument, _ = history
    sentence = (
        "Everyone is permitted to copy and distribute verbatim copies of this license "
        "document, but changing it is not allowed."
    )
    c = db_session.scalar(sa.select(Comment).where(Comment.exact == sentence))
    assert c is not None
    for title, on, filename in DRAFTS[1:]:
        _import(db_session, instrument, title, on, filename)
    db_session.commit()
    head = db_session.scalar(
        sa.select(Version)
        .where(Version.provision_id == c.provision_id)
        .order_by(Version.id.desc())
        .limit(1)
    )
    margin = comment_threads.margin_on(db_session, users["drafter"], head)
    placed = {t.root_id: t.placement for t in margin.placed}
    assert placed[c.id].status == "anchored"
    assert head.text[placed[c.id].start : placed[c.id].end] == sentence


def test_a_sentence_dropped_from_the_preamble_is_orphaned_not_snapped(db_session, users, history):
    instrument, _ = history
    dropped = (
        "Some countries have adopted laws prohibiting software that enables users to "
        "escape from Digital Restrictions Management."
    )
    c = db_session.scalar(sa.select(Comment).where(Comment.exact == dropped))
    assert c is not None
    for title, on, filename in DRAFTS[1:]:
        _import(db_session, instrument, title, on, filename)
    db_session.commit()
    head = db_session.scalar(
        sa.select(Version)
        .where(Version.provision_id == c.provision_id)
        .order_by(Version.id.desc())
        .limit(1)
    )
    assert "escape from Digital Restrictions Management" not in head.text
    margin = comment_threads.margin_on(db_session, users["drafter"], head)
    assert c.id in {t.root_id for t in margin.orphans}
