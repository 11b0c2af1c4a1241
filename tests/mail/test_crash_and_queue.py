"""Never twice, never lost: a sender killed between sending and marking (a real process,
SIGKILL), and the RQ queue on the real Redis with a real `flask rq worker` process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from redline.extensions import db
from redline.models import OutboxMail, utcnow
from redline.services.mail import INTERRUPTED, queue_mail, send_pending

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committed(app):
    """db.session committing for real (other processes must see the rows); emptied after."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        db.session.remove()


def _queue_three(session):
    for n in range(3):
        queue_mail(
            session,
            to=f"p{n}@example.org",
            subject=f"Mail {n}",
            text=f"Body {n}",
            kind="notification",
            key=f"crash-{n}-{uuid.uuid4().hex}",
        )
    session.commit()


def test_a_sender_killed_between_send_and_mark_neither_loses_nor_doubles(
    app, mail_app, committed, smtp_server
):
    _queue_three(committed)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests/mail/crashing_sender.py"), url, str(smtp_server.port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    assert len(smtp_server.messages) == 1  # the relay has the first mail; the DB does not know
    committed.expire_all()
    stuck = committed.scalars(sa.select(OutboxMail).where(OutboxMail.sent_at.is_(None))).all()
    assert len(stuck) == 3 and sum(r.attempt_started_at is not None for r in stuck) == 1
    # A sender running while the claim is fresh leaves that row alone and sends the others.
    assert send_pending(committed).as_dict() == {"sent": 2, "failed": 0, "recovered": 0}
    # Once the lease is over, the interrupted attempt is recorded as sent, not sent again.
    later = utcnow() + timedelta(seconds=app.config["MAIL_ATTEMPT_LEASE"] + 1)
    assert send_pending(committed, now=later).as_dict() == {"sent": 0, "failed": 0, "recovered": 1}
    rows = committed.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()
    assert all(r.sent_at is not None for r in rows)
    assert rows[0].last_error == INTERRUPTED
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 3 and sorted(ids) == sorted(r.message_id for r in rows)


@pytest.mark.slow
def test_rq_worker_process_sends_what_a_commit_enqueued(app, mail_app, committed, smtp_server):
    from redis import Redis
    from rq import Queue

    queue_name = f"redline-mail-test-{uuid.uuid4().hex}"
    redis_url = "redis://127.0.0.1:6379/0"
    app.config.update(REDIS_URL=redis_url, RQ_QUEUE=queue_name)
    try:
        _queue_three(committed)  # the commit hands the three ids to RQ
        queue = Queue(queue_name, connection=Redis.from_url(redis_url))
        assert queue.count == 3
        assert smtp_server.messages == []  # nothing sent in the "request"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "rq-test-key",
            "REDIS_URL": redis_url,
            "RQ_QUEUE": queue_name,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_server.port),
        }
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        assert sorted(m["Subject"] for m in smtp_server.messages) == ["Mail 0", "Mail 1", "Mail 2"]
        committed.expire_all()
        assert all(r.sent_at for r in committed.scalars(sa.select(OutboxMail)))
        assert queue.count == 0
        # Enqueued again (a retry, a duplicate job): nothing is sent twice.
        assert send_pending(committed).sent == 0
        assert len(smtp_server.messages) == 3
    finally:
        app.config.update(REDIS_URL=None, RQ_QUEUE="redline-mail")
        Queue(queue_name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)
