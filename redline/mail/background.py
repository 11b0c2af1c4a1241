"""Mail on start-up: the RQ hand-off when REDIS_URL is set, and for `make run` (no Redis, no
cron) an in-process sender: a daemon thread running the scheduled hooks and send_pending every
MAIL_SEND_INTERVAL seconds. Several processes (gunicorn workers, the reloader) may each run one:
the outbox claims make that safe; in production prefer cron or the RQ worker."""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


def _loop(app: Flask, interval: int, stop: threading.Event) -> None:
    from redline.extensions import db
    from redline.mail.scheduled import run_scheduled
    from redline.services.mail import send_pending

    while not stop.wait(interval):
        with app.app_context():
            try:
                run_scheduled(db.session)
                send_pending(db.session)
            except Exception:  # keep the thread alive; the outbox keeps the mails
                log.exception("in-process mail sender")
                db.session.rollback()
            finally:
                db.session.remove()


def init_mail(app: Flask) -> None:
    from redline.mail.queue import init_queue

    init_queue()
    interval = app.config.get("MAIL_SEND_INTERVAL") or 0
    if interval > 0 and not app.testing:
        stop = threading.Event()
        app.extensions["redline_mail_sender"] = stop
        threading.Thread(
            target=_loop, args=(app, interval, stop), name="redline-mail", daemon=True
        ).start()
