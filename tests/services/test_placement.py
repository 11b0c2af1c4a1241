"""The one comment-placement rule: the margin, the redline and the API read the same answer."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from redline.domain.text.anchors import ORPHANED, Placement
from redline.models import CommentAnchor
from redline.services import access, comment_threads, placement, redline_comments
from redline.services.errors import NotFound
from redline.services.placement import Wanted
from tests.comment_helpers import comment, edit, next_meeting, record


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


@pytest.fixture
def two_versions(db_session, users, rec):
    """Three comments on version 1, version 2 edits one passage and deletes another."""
    made = {
        "kept": comment(db_session, users, rec, "drafter", passage="competent authorities"),
        "touched": comment(db_session, users, rec, "drafter", passage="issue an order"),
        "gone": comment(
            db_session, users, rec, "drafter", passage="in the territory of another Party"
        ),
    }
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    text = (
        ("Preliminary words. " + rec.version.text)
        .replace("issue an order", "issue a binding order")
        .replace(" in the territory of another Party,", "")
    )
    return made, edit(db_session, users, rec, text)


def _everywhere(session, user, version) -> dict[str, dict[int, tuple]]:
    """Each comment's placement as the margin, the redline's spans and the API see it."""
    margin = comment_threads.margin_on(session, user, version)
    spans = redline_comments.spans_on_many(session, user, [version.id]).get(version.id, ())
    api = {t.root.id: t.placement for t in comment_threads.threads_on(session, user, version)}
    return {
        "margin": {
            t.root_id: (t.placement.start, t.placement.end)
            for t in (*margin.placed, *margin.orphans)
        },
        "redline": {s.thread_id: (s.start, s.end) for s in spans},
        "api": {cid: (p.start, p.end) for cid, p in api.items()},
    }


def _agree(seen: dict[str, dict[int, tuple]]) -> None:
    placed = {cid: span for cid, span in seen["margin"].items() if span[0] is not None}
    assert seen["redline"] == placed
    assert seen["api"] == seen["margin"]


def test_the_margin_the_redline_and_the_api_agree(db_session, users, two_versions):
    made, v2 = two_versions
    seen = _everywhere(db_session, users["drafter"], v2)
    _agree(seen)
    start, end = seen["margin"][made["kept"].id]
    assert v2.text[start:end] == "competent authorities"
    assert seen["margin"][made["gone"].id] == (None, None)


def test_a_cached_placement_is_what_every_reader_shows(db_session, users, two_versions):
    """The cache is the answer for a later version: change it and all three readers follow
    (one rule, read in one place)."""
    made, v2 = two_versions
    db_session.execute(
        sa.update(CommentAnchor)
        .where(CommentAnchor.comment_id == made["kept"].id, CommentAnchor.version_id == v2.id)
        .values(status="changed", start=0, end=11)
    )
    seen = _everywhere(db_session, users["drafter"], v2)
    _agree(seen)
    assert seen["margin"][made["kept"].id] == (0, 11)


def test_an_uncached_placement_is_computed_alike_and_not_stored(db_session, users, two_versions):
    made, v2 = two_versions
    cached = _everywhere(db_session, users["drafter"], v2)
    db_session.execute(sa.delete(CommentAnchor).where(CommentAnchor.version_id == v2.id))
    computed = _everywhere(db_session, users["drafter"], v2)
    assert computed == cached
    assert (
        db_session.scalar(
            sa.select(sa.func.count())
            .select_from(CommentAnchor)
            .where(CommentAnchor.version_id == v2.id)
        )
        == 0
    )  # a page view writes nothing


def test_a_comment_is_never_placed_on_an_earlier_version(db_session, users, rec, two_versions):
    _, v2 = two_versions
    later = comment(db_session, users, rec, "drafter", version=v2, passage="Preliminary words")
    seen = _everywhere(db_session, users["drafter"], rec.version)
    assert all(later.id not in placed for placed in seen.values())
    assert placement.on_version(db_session, v2, [later])[later.id] == Placement(
        "anchored", later.start, later.end
    )


def _count_queries(session):
    statements: list[str] = []

    def record_statement(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record_statement)
    return statements, lambda: event.remove(engine, "before_cursor_execute", record_statement)


def test_what_the_caller_knows_costs_no_query(db_session):
    statements, stop = _count_queries(db_session)
    try:
        placed = placement.place(
            db_session,
            [
                Wanted(1, made_on=5, shown_on=5, start=2, end=7),  # its own version
                Wanted(
                    2, made_on=5, shown_on=6, start=0, end=3, cached=Placement("changed", 1, 4)
                ),  # cached
                Wanted(
                    3, made_on=5, shown_on=6, start=0, end=3, cached=None, removed=True
                ),  # the provision was removed: nothing to diff
            ],
        )
    finally:
        stop()
    assert statements == []
    assert placed == {
        (5, 1): Placement("anchored", 2, 7),
        (6, 2): Placement("changed", 1, 4),
        (6, 3): ORPHANED,
    }


def test_spans_are_in_text_order_without_orphans():
    spans = placement.spans(
        {
            3: Placement("changed", 5, 9),
            1: Placement("anchored", 5, 9),
            2: Placement("anchored", 0, 4),
            4: ORPHANED,
        }
    )
    assert [(s.thread_id, s.start, s.end, s.changed) for s in spans] == [
        (2, 0, 4, False),
        (1, 5, 9, False),
        (3, 5, 9, True),
    ]


def test_the_version_shown_by_default_is_the_newest_readable(db_session, users, rec, two_versions):
    _, v2 = two_versions
    drafter, civil = users["drafter"], users["civil"]
    assert access.version_to_show(db_session, drafter, rec.provision, None).id == v2.id
    assert access.version_to_show(db_session, drafter, rec.provision, rec.version.id).id == (
        rec.version.id
    )
    other = record(db_session, users, slug="other")
    with pytest.raises(NotFound):  # a version of another provision
        access.version_to_show(db_session, drafter, rec.provision, other.version.id)
    with pytest.raises(NotFound):  # nothing published: a stakeholder reads nothing
        access.version_to_show(db_session, civil, rec.provision, None)
    with pytest.raises(NotFound):
        access.version_to_show(db_session, civil, rec.provision, v2.id)
