"""E-mail through the outbox: `queue_mail` writes a row in the caller's transaction (it never
sends), `send_pending` sends what is due and records the outcome.

Never sent twice, never lost:
- the idempotency key is unique, so queueing the same mail twice (a retried request, a scheduled
  command run twice) writes one row;
- each row is claimed by an atomic UPDATE (`attempt_started_at` set, committed) just before its
  SMTP transaction, so two senders never send the same row;
- the Message-ID is fixed when the row is written. A claim still standing after
  MAIL_ATTEMPT_LEASE seconds means a sender died between handing the message (with that
  Message-ID) to the relay and recording it: the row is then recorded as sent, not sent again.
  The claim is taken after the connection and login succeed, so the window in which a death
  could lose a mail is the SMTP DATA exchange itself; see docs/operations.md.
- a failed send (refused connection, temporary SMTP error) is retried with exponential backoff;
  a permanent refusal (5xx) or MAIL_MAX_ATTEMPTS failures stop the retries (last_error says why).
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from redline.mail.transport import Transport, transport_for
from redline.models import MAIL_KINDS, OutboxMail, User, utcnow
from redline.services.errors import BadInput

log = logging.getLogger(__name__)

MAX_KEY = 200
MAX_SUBJECT = 300
MAX_BODY = 200_000
INTERRUPTED = "interrupted during the SMTP transaction; recorded as sent (same Message-ID)"


def _config() -> dict:
    return current_app.config if has_app_context() else {}


def _message_id() -> str:
    sender = _config().get("MAIL_DEFAULT_SENDER") or ""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "redline.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue_mail(
    session: Session,
    *,
    to: User | str,
    subject: str,
    text: str,
    html: str | None = None,
    kind: str,
    key: str,
    headers: dict[str, str] | None = None,
) -> OutboxMail:
    """Write one mail to the outbox in the caller's transaction and return its row. The same
    `key` twice returns the first row unchanged (idempotent). Nothing is sent here."""
    if kind not in MAIL_KINDS:
        raise BadInput(f"Unknown kind of mail {kind!r}.")
    if not key or len(key) > MAX_KEY:
        raise BadInput(f"An idempotency key of 1 to {MAX_KEY} characters is required.")
    address = to.email if isinstance(to, User) else (to or "").strip()
    if "@" not in address or len(address) > 254 or "\n" in address or "\r" in address:
        raise BadInput(f"'{address}' is not an e-mail address.")
    subject = " ".join((subject or "").split())  # no header injection through a subject
    if not subject or len(subject) > MAX_SUBJECT:
        raise BadInput(f"A subject of 1 to {MAX_SUBJECT} characters is required.")
    if not text or len(text) > MAX_BODY or (html and len(html) > MAX_BODY):
        raise BadInput("A mail needs a plain-text part, and no part may exceed 200,000 chars.")
    for name, value in (headers or {}).items():
        if any(c in f"{name}{value}" for c in "\r\n") or not name.replace("-", "").isalnum():
            raise BadInput(f"Bad mail header {name!r}.")
    # Queued earlier in this transaction, or committed earlier: the same mail, not a second.
    pending = session.info.setdefault("redline_mail_keys", {})
    if key in pending:
        return pending[key]
    with session.no_autoflush:  # a thousand mails in one transaction are inserted in one flush
        existing = session.scalar(sa.select(OutboxMail).where(OutboxMail.key == key))
    if existing is not None:
        return existing
    row = OutboxMail(
        to_user_id=to.id if isinstance(to, User) else None,
        to_address=address,
        kind=kind,
        subject=subject,
        text_body=text,
        html_body=html,
        headers=dict(headers or {}),
        key=key,
        message_id=_message_id(),
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(row)
    pending[key] = row
    return row


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    recovered: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "recovered": self.recovered}


def backoff(attempts: int, base: int) -> timedelta:
    """Seconds before the next try: base, 2·base, 4·base ... capped at six hours."""
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def send_pending(
    app_or_session: Flask | Session,
    *,
    limit: int = 100,
    only: list[int] | None = None,
    now: datetime | None = None,
) -> SendReport:
    """Send what is due (at most `limit` mails, or only the rows `only`) and record each
    outcome. Safe to run in several processes at once and any number of times."""
    if isinstance(app_or_session, Flask):
        from redline.extensions import db

        with app_or_session.app_context():
            return send_pending(db.session, limit=limit, only=only, now=now)
    session = app_or_session
    config = _config()
    now = now or utcnow()
    report = SendReport(recovered=_recover_interrupted(session, config, now))
    due = sa.select(OutboxMail.id).where(
        OutboxMail.sent_at.is_(None),
        OutboxMail.attempt_started_at.is_(None),
        OutboxMail.attempts < config.get("MAIL_MAX_ATTEMPTS", 8),
    )
    if only is not None:  # an RQ job: the queue's retry schedule decides when
        due = due.where(OutboxMail.id.in_(only))
    else:
        due = due.where(OutboxMail.next_attempt_at <= now)
    ids = list(session.scalars(due.order_by(OutboxMail.id).limit(limit)))
    session.commit()
    if not ids:
        return report
    transport = transport_for(config)
    try:
        transport.open()
    except (OSError, smtplib.SMTPException) as error:
        for mail_id in ids:
            _failed(session, config, mail_id, f"cannot reach the mail server: {error}", False)
        report.failed += len(ids)
        return report
    try:
        for mail_id in ids:
            if _send_one(session, config, transport, mail_id):
                report.sent += 1
            else:
                report.failed += 1
    finally:
        transport.close()
    return report


def _recover_interrupted(session: Session, config, now: datetime) -> int:
    stale = now - timedelta(seconds=config.get("MAIL_ATTEMPT_LEASE", 600))
    result = session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.attempt_started_at < stale)
        .values(
            sent_at=OutboxMail.attempt_started_at, attempt_started_at=None, last_error=INTERRUPTED
        )
    )
    session.commit()
    if result.rowcount:
        log.warning("%d mail(s) %s", result.rowcount, INTERRUPTED)
    return result.rowcount


def _claim(session: Session, mail_id: int) -> OutboxMail | None:
    result = session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            OutboxMail.attempt_started_at.is_(None),
        )
        .values(attempt_started_at=utcnow(), attempts=OutboxMail.attempts + 1)
    )
    session.commit()  # the claim is durable before a byte reaches the relay
    if result.rowcount != 1:
        return None  # another sender has it, or it was sent meanwhile
    return session.get(OutboxMail, mail_id, populate_existing=True)


def _send_one(session: Session, config, transport: Transport, mail_id: int) -> bool:
    row = _claim(session, mail_id)
    if row is None:
        return False
    try:
        transport.send(row, config)
    except smtplib.SMTPResponseException as error:
        permanent = 500 <= error.smtp_code < 600
        _failed(session, config, mail_id, f"{error.smtp_code} {error.smtp_error!r}", permanent)
        return False
    except smtplib.SMTPRecipientsRefused as error:
        _failed(session, config, mail_id, f"recipient refused: {error.recipients}", True)
        return False
    except (OSError, smtplib.SMTPException) as error:
        _failed(session, config, mail_id, str(error) or type(error).__name__, False)
        return False
    mark_sent(session, mail_id)
    return True


def mark_sent(session: Session, mail_id: int) -> None:
    session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(sent_at=utcnow(), attempt_started_at=None, last_error=None)
    )
    session.commit()


def _failed(session: Session, config, mail_id: int, error: str, permanent: bool) -> None:
    row = session.get(OutboxMail, mail_id, populate_existing=True)
    if row is None:
        return
    if row.attempt_started_at is None:  # never claimed (no connection): count the try here
        row.attempts += 1
    row.attempt_started_at = None
    row.last_error = error[:2000]
    if permanent:
        row.attempts = max(row.attempts, config.get("MAIL_MAX_ATTEMPTS", 8))
    row.next_attempt_at = utcnow() + backoff(row.attempts, config.get("MAIL_RETRY_BASE", 60))
    session.commit()
    log.warning("mail %s to %s not sent: %s", mail_id, row.to_address, error)
