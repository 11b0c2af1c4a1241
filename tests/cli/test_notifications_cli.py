"""`flask notifications due` and `flask notifications digest`, run twice as cron might."""

from __future__ import annotations

import json
from datetime import timedelta

from redline.models import Consultation, utcnow
from redline.services import notifications
from tests.comment_helpers import publish, record


def test_due_announces_a_later_opening_once(runner, db_session, users):
    rec = record(db_session, users)
    now = utcnow()
    publish(db_session, users, rec, opens=now + timedelta(hours=1), closes=now + timedelta(days=2))
    assert notifications.unread_count(db_session, users["civil"].id) == 0  # not open yet
    r = runner.invoke(args=["notifications", "due"])
    assert r.exit_code == 0 and json.loads(r.output) == {"told": 0}
    # The opening time passes.
    c = db_session.query(Consultation).filter_by(instrument_id=rec.instrument.id).one()
    c.opens_at = now - timedelta(minutes=1)
    db_session.commit()
    first = json.loads(runner.invoke(args=["notifications", "due"]).output)["told"]
    assert first > 0
    assert json.loads(runner.invoke(args=["notifications", "due"]).output) == {"told": 0}
    # Opened and closing within three days: both told, to each of the three stakeholders.
    assert notifications.unread_count(db_session, users["civil"].id) == 2


def test_digest_twice_sends_once(runner, db_session, users):
    civil = users["civil"].id
    notifications.set_preference(db_session, civil, "reply", "daily")
    notifications.write(db_session, [notifications.Tell(civil, "reply", "reply:1", "Answer")])
    db_session.commit()
    assert json.loads(runner.invoke(args=["notifications", "digest"]).output) == {"digests": 1}
    assert json.loads(runner.invoke(args=["notifications", "digest"]).output) == {"digests": 0}


def test_due_refuses_a_bad_number_of_days(runner, db_session):
    r = runner.invoke(args=["notifications", "due", "--days", "-1"])
    assert r.exit_code == 2 and "--days" in r.output
