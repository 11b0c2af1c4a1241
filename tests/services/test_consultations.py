"""Consultations: creating them, their windows per category (explicit instants, no sleeping),
which versions they publish, who sees them."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from redline.models import AuditEvent, Consultation, utcnow
from redline.services import consultations, meetings
from redline.services.errors import BadInput, NotFound
from tests.comment_helpers import edit, next_meeting, publish, record
from tests.conftest import count_rows

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-15T17:00", T1),
        ("2026-12-15 17:00", T1),
        ("2026-12-15T17:00:00Z", T1),
        ("2026-12-15T17:00z", T1),
        ("2026-12-15T18:00+01:00", T1),
        ("2026-12-15T12:00-05:00", T1),
    ],
)
def test_parse_when_reads_naive_times_as_utc(raw, expected):
    assert consultations.parse_when(raw, "Closes") == expected


@pytest.mark.parametrize("raw", ["", "  ", "tomorrow", "2026-13-01T00:00", "15/12/2026 17:00"])
def test_parse_when_refuses_what_is_not_iso_8601(raw):
    with pytest.raises(BadInput, match="Closes"):
        consultations.parse_when(raw, "Closes")


def test_create_publishes_a_meeting_and_is_audited(db_session, users):
    rec = record(db_session, users)
    before = count_rows(AuditEvent)
    c = consultations.create_consultation(
        db_session,
        instrument=rec.instrument,
        meeting_id=rec.meeting.id,
        title=" Provisional text ",
        opens_at=T0,
        closes_at=T1,
        deadlines={"industry": T1 + timedelta(days=7)},
        comments_visible=True,
        actor=users["secretariat"],
    )
    db_session.commit()
    assert (c.title, c.meeting_id, c.comments_visible) == ("Provisional text", rec.meeting.id, True)
    assert c.closes_at_for("industry") == T1 + timedelta(days=7)
    assert c.closes_at_for("civil_society") == T1
    # Publishing freezes the meeting's text: it is closed (audited too).
    assert rec.meeting.status == "closed"
    events = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.id > 0).order_by(AuditEvent.id.desc())
    ).all()[: count_rows(AuditEvent) - before]
    assert [(e.action, e.object_id) for e in events][0] == ("consultation.create", c.id)
    assert "meeting.close" in {e.action for e in events}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(title=""), "title"),
        (dict(title="two\nlines"), "title"),
        (dict(title="x" * 301), "title"),
        (dict(closes_at=T0), "close after it opens"),
        (dict(closes_at=T0 - timedelta(hours=1)), "close after it opens"),
        (dict(deadlines={"press": T1}), "Unknown category"),
        (dict(deadlines={"industry": T0}), "after the opening"),
        (dict(opens_at=datetime(2026, 12, 1, 9, 0)), "time zone"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(db_session, users, change, message):
    rec = record(db_session, users)
    args = dict(
        instrument=rec.instrument,
        meeting_id=rec.meeting.id,
        title="Consultation",
        opens_at=T0,
        closes_at=T1,
        actor=users["secretariat"],
    )
    args.update(change)
    with pytest.raises(BadInput, match=message):
        consultations.create_consultation(db_session, **args)
    db_session.rollback()
    assert count_rows(Consultation) == 0


def test_create_refuses_a_meeting_of_another_instrument(db_session, users):
    rec = record(db_session, users)
    other = meetings.create_instrument(db_session, slug="other", title="Other", actor=None)
    elsewhere = meetings.create_meeting(
        db_session, other, title="M", kind="plenary", on=date(2026, 1, 1), actor=None
    )
    with pytest.raises(BadInput, match="not a meeting of"):
        consultations.create_consultation(
            db_session,
            instrument=rec.instrument,
            meeting_id=elsewhere.id,
            title="C",
            opens_at=T0,
            closes_at=T1,
            actor=None,
        )


@pytest.mark.parametrize(
    ("category", "at", "state"),
    [
        ("civil_society", T0 - timedelta(seconds=1), "upcoming"),
        ("civil_society", T0, "open"),
        ("civil_society", T1 - timedelta(seconds=1), "open"),
        ("civil_society", T1, "closed"),
        ("industry", T1, "open"),  # industry has a week more
        ("industry", T1 + timedelta(days=7) - timedelta(seconds=1), "open"),
        ("industry", T1 + timedelta(days=7), "closed"),
        ("data_protection", T1 - timedelta(days=3), "closed"),  # and the DPAs three days less
        ("data_protection", T1 - timedelta(days=3, seconds=1), "open"),
        (None, T1, "closed"),  # the drafting side sees the general window
    ],
)
def test_window_per_category_at_explicit_instants(db_session, users, category, at, state):
    rec = record(db_session, users)
    c = publish(
        db_session,
        users,
        rec,
        opens=T0,
        closes=T1,
        deadlines={"industry": T1 + timedelta(days=7), "data_protection": T1 - timedelta(days=3)},
    )
    w = consultations.window(c, category, at)
    assert w.state == state
    assert w.is_open is (state == "open")


def test_publishing_follows_the_meeting_text(db_session, users):
    rec = record(db_session, users)
    first = publish(db_session, users, rec)
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    v2 = edit(db_session, users, rec, rec.version.text.replace("Each Party", "Every Party"))
    assert consultations.publishing(db_session, rec.version) == [first]
    assert consultations.publishing(db_session, v2) == []
    m2 = v2.meeting
    second = publish(db_session, users, rec, meeting=m2, title="Second round")
    assert consultations.publishing(db_session, v2) == [second]
    assert [v.id for v in consultations.published_versions(db_session, second)] == [v2.id]


def test_a_provision_untouched_since_the_published_meeting_is_still_published(db_session, users):
    rec = record(db_session, users)
    m2 = next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    c = publish(db_session, users, rec, meeting=m2)  # the text carried forward to m2
    assert consultations.publishing(db_session, rec.version) == [c]


def test_stakeholder_window_prefers_the_open_consultation(db_session, users):
    rec = record(db_session, users)
    now = utcnow()
    old = publish(
        db_session,
        users,
        rec,
        opens=now - timedelta(days=60),
        closes=now - timedelta(days=30),
        title="Old",
    )
    current = publish(db_session, users, rec, title="Current")
    w = consultations.stakeholder_window(db_session, users["civil"], rec.version, now)
    assert (w.consultation, w.state) == (current, "open")
    later = now + timedelta(days=40)
    w = consultations.stakeholder_window(db_session, users["civil"], rec.version, later)
    assert (w.consultation, w.state) == (current, "closed")
    assert old != current


def test_stakeholders_see_a_consultation_only_once_it_opened(db_session, users):
    rec = record(db_session, users)
    opened = publish(db_session, users, rec, title="Opened")
    upcoming = publish(
        db_session,
        users,
        rec,
        title="Upcoming",
        opens=utcnow() + timedelta(days=2),
        closes=utcnow() + timedelta(days=9),
    )
    assert consultations.consultations_of(db_session, users["civil"], rec.instrument.id) == [opened]
    seen = consultations.consultations_of(db_session, users["observer"], rec.instrument.id)
    assert set(seen) == {opened, upcoming}
    with pytest.raises(NotFound):
        consultations.consultation_for(db_session, users["civil"], upcoming.id)
    assert consultations.consultation_for(db_session, users["drafter"], upcoming.id) == upcoming
