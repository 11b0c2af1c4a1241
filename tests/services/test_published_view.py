"""The published view of a version (services/published.py), over random timelines: meetings
published or not, edits or none at each. Whatever the timeline, a stakeholder is shown the
same versions as access.visible_versions, each at a published meeting, dated when that
publication opened, with no author, message or merge, and parents only among what they see."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.models import Version, utcnow
from redline.services import access, consultations, meetings, published, versions
from redline.services.errors import NotFound

# Each meeting: (edits recorded at it, published by a consultation that has opened?).
TIMELINES = st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=1, max_size=6)
SLUGS = itertools.count()


def build(session, users, timeline):
    sec, drafter = users["secretariat"], users["drafter"]
    now = utcnow()
    inst = meetings.create_instrument(
        session, slug=f"tl-{next(SLUGS)}", title="Timeline", actor=sec
    )
    provision, head, opened = None, None, {}
    for i, (edits, publish) in enumerate(timeline):
        m = meetings.create_meeting(
            session,
            inst,
            title=f"M{i}",
            kind="plenary",
            on=date(2026, 1, 1) + timedelta(i),
            actor=sec,
        )
        for e in range(edits):
            if head is None:
                head = versions.add_provision(
                    session,
                    inst,
                    after_provision_id=None,
                    number="Article 1",
                    heading="",
                    text=f"Text {i}.{e}",
                    kind="article",
                    author=drafter,
                    max_chars=1000,
                    message=f"message {i}.{e}",
                )
                provision = head.provision
            else:
                head = versions.record_edit(
                    session,
                    provision,
                    base_version_id=head.id,
                    text=f"Text {i}.{e}",
                    author=drafter,
                    max_chars=1000,
                    message=f"message {i}.{e}",
                ).version
        if publish:
            c = consultations.create_consultation(
                session,
                instrument=inst,
                meeting_id=m.id,
                title=f"C{i}",
                opens_at=now - timedelta(days=30 - i),
                closes_at=now + timedelta(days=30),
                actor=sec,
            )
            opened[m.id] = c.opens_at
    session.flush()
    return provision, opened


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(timeline=TIMELINES)
def test_a_stakeholder_sees_only_the_published_view(db_session, users, timeline):
    nested = db_session.begin_nested()
    try:
        provision, opened = build(db_session, users, timeline)
        if provision is None:
            return
        civil, drafter = users["civil"], users["drafter"]
        visible = access.visible_versions(db_session, civil, provision)
        shown = published.shown_history(db_session, civil, provision)
        assert [s.id for s in shown] == [v.id for v in visible]
        ids = {s.id for s in shown}
        for i, s in enumerate(shown):
            assert s.meeting.id in opened and s.created_at == opened[s.meeting.id]
            assert (s.author, s.message, s.merged_from_id) == (None, "", None)
            assert s.parent_id == (shown[i - 1].id if i else None)
            assert s.parent_id is None or s.parent_id in ids
            assert s.published_view
            # Published at or after the meeting it was recorded at, never before.
            recorded = next(v for v in visible if v.id == s.id).meeting
            assert s.meeting.position >= recorded.position
        record = published.shown_history(db_session, drafter, provision)
        assert all(not r.published_view and r.author is not None for r in record)
        assert {r.id for r in record} >= ids
        for r in record:
            if r.id not in ids:  # never shown to a stakeholder: asking for it is a 404
                with pytest.raises(NotFound):
                    published.shown_version(db_session, civil, db_session.get(Version, r.id))
    finally:
        nested.rollback()
