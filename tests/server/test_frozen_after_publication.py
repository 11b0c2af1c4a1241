"""Frozen means frozen: drafters' saves race the secretariat's publication, many times over, on
a real gunicorn server. Every save either lands before publication (it is in the published
text) or is refused with the no-open-meeting answer; published text never changes afterwards.

The saves run in gunicorn's worker processes; the publication runs in this process on its own
connection, as a writing request would (on SQLite that means BEGIN IMMEDIATE, so the test
races there too: SQLite serialises writers, PostgreSQL must lock the meeting row).
"""

from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest

from redline.extensions import db
from redline.models import Meeting, User, Version
from redline.services import accounts, consultations, meetings, texts, versions
from tests.conftest import PASSWORD
from tests.live import committed

TRIALS = 30
SAVERS = 2


def _save(base: str, token: str, pid: int, base_id: int, text: str) -> tuple[int, dict]:
    req = urllib.request.Request(
        f"{base}/api/v1/provisions/{pid}/versions",
        data=json.dumps({"base_version_id": base_id, "text": text}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - local test server
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.mark.slow
def test_no_save_lands_in_a_meeting_after_its_publication(app, gunicorn):
    paragraphs = [f"{i}. Paragraph {i} of the article says something." for i in range(SAVERS)]
    with committed(app) as session:
        accounts.HASH_METHOD = "pbkdf2:sha256:1000"
        tokens = []
        for i in range(SAVERS):
            user = accounts.create_user(
                session, email=f"d{i}@example.org", name=f"D {i}", role="drafter", password=PASSWORD
            )
            session.flush()
            tokens.append(accounts.issue_token(session, user))
        secretariat = accounts.create_user(
            session, email="s@example.org", name="S", role="secretariat", password=PASSWORD
        )
        instrument = meetings.create_instrument(session, slug="f", title="F", actor=None)
        meetings.create_meeting(
            session, instrument, title="M0", kind="plenary", on=date(2021, 1, 1), actor=None
        )
        first = versions.add_provision(
            session,
            instrument,
            after_provision_id=None,
            number="Article 1",
            heading="",
            kind="article",
            text="\n\n".join(paragraphs),
            author=None,
            max_chars=10**6,
        )
        session.commit()
        iid, pid, sid = instrument.id, first.provision_id, secretariat.id
        rng = random.Random(12)  # noqa: S311 - jitter, not secrets
        outcomes = {"landed": 0, "refused": 0}

        for trial in range(TRIALS):
            session.rollback()  # a fresh snapshot of what the server committed
            meeting = meetings.create_meeting(
                session,
                meetings.get_instrument(session, iid),
                title=f"M{trial + 1}",
                kind="plenary",
                on=date(2021, 1, 2) + timedelta(days=trial),
                actor=None,
            )
            session.commit()
            mid, head_id = meeting.id, texts.head(session, pid).id
            start = threading.Barrier(SAVERS + 1)
            results: list = [None] * SAVERS
            published: dict = {}

            def save(i: int, trial=trial, head_id=head_id, start=start, results=results):
                mine = list(paragraphs)
                mine[i] = mine[i].replace("says something", f"says trial {trial} by {i}")
                start.wait()
                threading.Event().wait(rng.random() * 0.02)
                results[i] = _save(gunicorn, tokens[i], pid, head_id, "\n\n".join(mine))

            def publish(mid=mid, start=start, published=published):
                start.wait()
                threading.Event().wait(rng.random() * 0.02)
                with app.test_request_context("/", method="POST"):  # a writing request
                    s = db.session
                    now = datetime.now(UTC)
                    c = consultations.create_consultation(
                        s,
                        instrument=meetings.get_instrument(s, iid),
                        meeting_id=mid,
                        title=f"Consultation {mid}",
                        opens_at=now,
                        closes_at=now + timedelta(days=30),
                        actor=s.get(User, sid),
                    )
                    # What stakeholders are shown, read inside the publishing transaction.
                    published["ids"] = {v.id for v in consultations.published_versions(s, c)}
                    published["recorded"] = set(
                        s.scalars(db.select(Version.id).where(Version.meeting_id == mid))
                    )
                    s.commit()
                    db.session.remove()

            threads = [threading.Thread(target=save, args=(i,)) for i in range(SAVERS)]
            threads.append(threading.Thread(target=publish))
            for t in threads:
                t.start()
            for t in threads:
                t.join()

            session.rollback()
            after = {v.id for v in texts.versions_as_of(session, session.get(Meeting, mid))}
            assert after == published["ids"], f"trial {trial}: published text changed"
            for status, body in results:
                if status == 201:
                    outcomes["landed"] += 1
                    version = session.get(Version, body["id"])
                    assert version.meeting_id == mid
                    assert version.id in published["recorded"], f"trial {trial}: saved after"
                elif body.get("error") == "conflict":  # the two drafters' edits collided
                    outcomes["conflict"] = outcomes.get("conflict", 0) + 1
                else:
                    outcomes["refused"] += 1
                    assert status == 409 and body.get("error") == "no_open_meeting", body
            in_meeting = session.scalars(
                db.select(Version.id).where(Version.meeting_id == mid)
            ).all()
            assert set(in_meeting) == published["recorded"], f"trial {trial}: meeting changed"

        # Both outcomes happened, so the trials really raced.
        assert outcomes["landed"] and outcomes["refused"], outcomes
