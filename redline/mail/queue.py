"""The mail queue on Redis (RQ), used when REDIS_URL is set.

After a transaction that queued mails commits, each new outbox row's id is put on the RQ queue
(RQ_QUEUE); a worker (`flask rq worker`) runs `send_outbox_mail(id)`, which is send_pending for
that row alone: the claim in services/mail.py makes it safe if the same id is enqueued twice or a
cron `flask notifications send` runs alongside. A failed send raises, so RQ retries it with its
backoff (Retry intervals below); if Redis is down when enqueueing, the row waits in the outbox
for the next `flask notifications send` - nothing is lost either way."""

from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from redline.models import OutboxMail

log = logging.getLogger(__name__)
RETRY_INTERVALS = [30, 120, 600, 1800, 3600]
_app: Flask | None = None  # the worker's app, built once per worker process


def _queue(config):
    from redis import Redis
    from rq import Queue

    return Queue(config["RQ_QUEUE"], connection=Redis.from_url(config["REDIS_URL"]))


def enqueue(config, ids: list[int]) -> None:
    from rq import Retry

    queue = _queue(config)
    for mail_id in ids:
        queue.enqueue(
            send_outbox_mail,
            mail_id,
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            job_id=f"redline-mail-{mail_id}",  # the same row enqueued twice is one job
        )


def _after_flush(session: Session, flush_context) -> None:
    """Note the ids of the outbox rows just inserted (the RQ jobs name them)."""
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMail)]
    if new:
        session.info.setdefault("redline_mail_queued", []).extend(new)


def _after_commit(session: Session) -> None:
    session.info.pop("redline_mail_keys", None)
    ids = session.info.pop("redline_mail_queued", None)
    if not ids:
        return
    try:
        config = current_app.config
    except RuntimeError:
        return
    if not config.get("REDIS_URL"):
        return
    try:
        enqueue(config, ids)
    except Exception:  # Redis down: the outbox keeps the rows for `notifications send`
        log.exception("could not enqueue %d mail(s); they wait in the outbox", len(ids))


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, its rows with it
        session.info.pop("redline_mail_queued", None)
        session.info.pop("redline_mail_keys", None)


def init_queue() -> None:
    """Listen on every session: the ids queue_mail noted go to RQ once their row is committed."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


def send_outbox_mail(mail_id: int) -> dict:
    """The RQ job: send one outbox row (idempotent). Raises if it failed, so RQ retries."""
    from redline.services.mail import send_pending

    if _app is None:  # only `flask rq worker` runs these jobs: it sets the app first
        raise RuntimeError("run mail jobs with `flask rq worker`, not a bare `rq worker`")
    report = send_pending(_app, only=[mail_id])
    if report.failed:
        raise RuntimeError(f"mail {mail_id} not sent yet; see outbox.last_error")
    return report.as_dict()


def run_worker(app: Flask, burst: bool = False) -> None:
    from rq import Worker

    global _app
    _app = app
    queue = _queue(app.config)
    # with_scheduler: RQ retries a failed job after an interval only if a scheduler runs.
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)
