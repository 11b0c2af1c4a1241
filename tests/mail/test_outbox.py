"""The outbox: queue_mail writes in the caller's transaction; send_pending sends over real SMTP,
once, with the right headers; failures are retried with backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from redline.models import OutboxMail, utcnow
from redline.services.errors import BadInput
from redline.services.mail import INTERRUPTED, queue_mail, send_pending


def _queue(db_session, key="k1", **kw):
    args = dict(
        to="ana@example.org",
        subject="Consultation opened",
        text="Plain words.",
        html="<p>Plain <b>words</b>.</p>",
        kind="notification",
        key=key,
        headers={"List-Unsubscribe": "<http://redline.test/u/1>"},
    )
    args.update(kw)
    return queue_mail(db_session, **args)


def test_queue_writes_in_the_callers_transaction_and_sends_nothing(db_session, smtp_server):
    row = _queue(db_session)
    db_session.flush()
    assert row.id is not None and row.sent_at is None
    assert row.message_id.startswith("<") and row.message_id.endswith(">")
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    assert smtp_server.messages == []


def test_same_key_twice_is_one_row(db_session):
    first = _queue(db_session)
    assert _queue(db_session, subject="Other") is first  # in the same transaction
    db_session.commit()
    third = _queue(db_session, subject="Again")  # in a later one
    assert third.id == first.id and third.subject == "Consultation opened"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_many_mails_are_written_in_one_flush(db_session):
    """A notification to a thousand commenters must not cost a thousand round trips of
    flushing: queue_mail never flushes; the rows go in with the caller's commit."""
    flushes = []

    def note(session, ctx):
        flushes.append(len(session.new))

    target = db_session.registry()
    sa.event.listen(target, "after_flush", note)
    try:
        for n in range(200):
            _queue(db_session, key=f"bulk-{n}", to=f"p{n}@example.org")
        db_session.commit()
    finally:
        sa.event.remove(target, "after_flush", note)
    assert flushes == [200]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 200


@pytest.mark.parametrize(
    "change",
    [
        {"to": "not an address"},
        {"to": "a@b.org\r\nBcc: x@y.org"},
        {"kind": "spam"},
        {"key": ""},
        {"subject": ""},
        {"text": ""},
        {"headers": {"X-Evil": "a\r\nBcc: x@y.org"}},
        {"headers": {"Bad Name": "x"}},
    ],
)
def test_bad_input_is_refused_and_writes_nothing(db_session, change):
    with pytest.raises(BadInput):
        _queue(db_session, **change)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_send_pending_sends_once_with_real_headers(mail_app, db_session, smtp_server):
    row = _queue(db_session)
    db_session.commit()
    report = send_pending(db_session)
    assert report.sent == 1
    assert send_pending(db_session).sent == 0  # idempotent
    [msg] = smtp_server.messages
    assert msg["From"] == "Treaty Secretariat <secretariat@redline.test>"
    assert msg["Reply-To"] == "Treaty Secretariat <secretariat@redline.test>"
    assert msg["Message-ID"] == row.message_id
    assert msg["Date"] is not None and msg["Date"].datetime.tzinfo is not None
    assert msg["List-Unsubscribe"] == "<http://redline.test/u/1>"
    assert msg.get_body(("plain",)).get_content().strip() == "Plain words."
    assert "<b>words</b>" in msg.get_body(("html",)).get_content()
    db_session.refresh(row)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None


def test_a_temporary_failure_is_retried_with_backoff(mail_app, db_session, smtp_server):
    row = _queue(db_session)
    db_session.commit()
    smtp_server.refuse_with = "451 4.3.0 try again later"
    assert send_pending(db_session).failed == 1
    db_session.refresh(row)
    assert row.sent_at is None and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=30)
    smtp_server.refuse_with = None
    assert send_pending(db_session).sent == 0  # not yet due
    assert send_pending(db_session, now=row.next_attempt_at).sent == 1
    assert len(smtp_server.messages) == 1


def test_a_permanent_refusal_stops_retries(mail_app, db_session, smtp_server):
    row = _queue(db_session)
    db_session.commit()
    smtp_server.refuse_with = "550 5.1.1 no such mailbox"
    send_pending(db_session)
    smtp_server.refuse_with = None
    assert send_pending(db_session, now=utcnow() + timedelta(days=30)).sent == 0
    db_session.refresh(row)
    assert row.sent_at is None and "550" in row.last_error


def test_an_unreachable_server_counts_a_try_for_each_due_mail(app, db_session):
    row = _queue(db_session)
    db_session.commit()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    try:
        assert send_pending(db_session).failed == 1
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
    db_session.refresh(row)
    assert row.attempts == 1 and row.sent_at is None and "reach" in row.last_error


def test_a_stale_claim_is_recorded_as_sent_not_resent(mail_app, db_session, smtp_server):
    row = _queue(db_session)
    row.attempt_started_at = utcnow() - timedelta(hours=1)
    row.attempts = 1
    db_session.commit()
    report = send_pending(db_session)
    assert report.recovered == 1 and report.sent == 0
    assert smtp_server.messages == []
    db_session.refresh(row)
    assert row.sent_at is not None and row.last_error == INTERRUPTED
