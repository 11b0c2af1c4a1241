"""Comparing meetings and versions, and the redline cache shared by every worker."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from redline.domain.text.redline import new_text, old_text
from redline.extensions import db
from redline.models import RedlineCache, Version
from redline.services import redlines
from tests.conftest import count_rows
from tests.redline_data import synthetic


@pytest.fixture
def drafting(db_session):
    return synthetic(db_session)


def by_key(d, changes):
    return {key: next(c for c in changes if c.provision_id == d.pid(key)) for key in d.provisions}


def test_compare_meetings_aligns_by_identity(drafting, db_session):
    d, m1, m2 = drafting
    changes = by_key(d, redlines.compare_meetings(db_session, m1, m2))
    status = {k: c.status for k, c in changes.items()}
    assert status == {
        "preamble": "unchanged",
        "art1": "unchanged",
        "art2": "changed",
        "art3": "removed",
        "art4": "changed",
        "art5": "changed",
        "art6": "added",
        "art7": "changed",
    }
    assert changes["art5"].moved and not any(c.moved for k, c in changes.items() if k != "art5")
    # Renumbered, same text: the number changes, the text is all equal (not a rewrite).
    art4 = changes["art4"]
    assert art4.renumbered and (art4.from_number, art4.to_number) == ("Article 4", "Article 3")
    assert art4.ops == (("equal", "Requests shall be made in English."),)
    assert changes["art7"].renumbered and changes["art7"].reheaded
    assert changes["art3"].ops == (("delete", "For the purposes of this Protocol: none."),)
    assert changes["art6"].ops == (("insert", "In an emergency, a Party may request."),)
    assert ("delete", "cyber-crime") in changes["art2"].ops


def test_compare_meetings_in_document_order_with_removed_in_old_place(drafting, db_session):
    d, m1, m2 = drafting
    order = [c.provision_id for c in redlines.compare_meetings(db_session, m1, m2)]
    keys = {d.pid(k): k for k in d.provisions}
    assert [keys[p] for p in order] == [
        "preamble",
        "art5",
        "art1",
        "art2",
        "art3",
        "art4",
        "art6",
        "art7",
    ]


def test_ops_rebuild_both_texts(drafting, db_session):
    d, m1, m2 = drafting
    for c in redlines.compare_meetings(db_session, m1, m2):
        assert old_text(c.ops) == (c.before.text if c.before else "")
        assert new_text(c.ops) == (c.after.text if c.after else "")


def test_compare_backwards_mirrors_the_change(drafting, db_session):
    d, m1, m2 = drafting
    back = by_key(d, redlines.compare_meetings(db_session, m2, m1))
    assert back["art3"].status == "added" and back["art6"].status == "removed"
    assert (back["art4"].from_number, back["art4"].to_number) == ("Article 3", "Article 4")
    assert ("insert", "cyber-crime") in back["art2"].ops


def test_compare_a_meeting_with_itself_is_all_unchanged(drafting, db_session):
    d, m1, m2 = drafting
    changes = redlines.compare_meetings(db_session, m2, m2)
    assert len(changes) == 7 and {c.status for c in changes} == {"unchanged"}
    assert count_rows(RedlineCache) == 0


def test_compare_versions_of_one_provision(drafting, db_session):
    d, m1, m2 = drafting
    art2, art3 = d.heads["art2"], d.heads["art3"]
    change = redlines.compare_versions(db_session, db_session.get(Version, art2.parent_id), art2)
    assert change.status == "changed" and ("insert", "cybercrime and its proceeds") in change.ops
    before_removal = db_session.get(Version, art3.parent_id)
    assert redlines.compare_versions(db_session, before_removal, art3).status == "removed"
    assert redlines.compare_versions(db_session, None, art2).status == "added"


def test_cache_rows_are_written_once_and_reused(drafting, db_session, monkeypatch):
    d, m1, m2 = drafting
    first = redlines.compare_meetings(db_session, m1, m2)
    db_session.commit()
    # Only art2 and art5 were reworded; a renumbering, a new heading or a re-save needs no diff.
    assert count_rows(RedlineCache) == 2
    stored = db_session.scalars(sa.select(RedlineCache)).all()
    assert {(r.from_version_id, r.to_version_id) for r in stored} == {
        (d.heads[k].parent_id, d.heads[k].id) for k in ("art2", "art5")
    }
    assert all(json.loads(r.ops) for r in stored)

    calls = []
    monkeypatch.setattr(redlines.engine, "redline", lambda *a, **k: calls.append(a) or [])
    second = redlines.compare_meetings(db_session, m1, m2)
    assert calls == []  # nothing recomputed: every diff came from the table
    assert [c.ops for c in second] == [c.ops for c in first]
    assert count_rows(RedlineCache) == 2


def test_whole_instrument_compare_reads_the_cache_in_one_query(drafting, db_session):
    d, m1, m2 = drafting
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "redline_cache" in statement:
            statements.append(statement.split()[0].upper())

    engine = db_session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        redlines.compare_meetings(db_session, m1, m2)
        db_session.commit()
        assert statements == ["SELECT", "INSERT"]  # cold: one read, one insert for all pairs
        statements.clear()
        redlines.compare_meetings(db_session, m1, m2)
        assert statements == ["SELECT"]  # warm: one read, nothing to insert
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_a_pair_inserted_concurrently_is_not_an_error(drafting, db_session):
    d, m1, m2 = drafting
    art2 = d.heads["art2"]
    row = {"from_version_id": art2.parent_id, "to_version_id": art2.id, "ops": '[["equal", "x"]]'}
    redlines._store(db_session, [row])
    # Another worker got there first: the second insert of the same pair is ignored.
    redlines._store(db_session, [{**row, "ops": '[["equal", "y"]]'}])
    db_session.commit()
    assert count_rows(RedlineCache) == 1
    assert db.session.scalar(sa.select(RedlineCache.ops)) == '[["equal", "x"]]'


def test_totals_count_words_and_kinds(drafting, db_session):
    d, m1, m2 = drafting
    t = redlines.totals(redlines.compare_meetings(db_session, m1, m2))
    assert (t.provisions, t.added, t.removed, t.moved, t.renumbered, t.unchanged) == (
        8,
        1,
        1,
        1,
        2,
        2,
    )
    assert t.inserted_words > 0 and t.deleted_words > 0
