"""How a mail leaves: over SMTP (stdlib `smtplib`), or, with no MAIL_SERVER, to the console and
an optional folder of .eml files (MAIL_FOLDER; `make run` uses instance/mail).

The stdlib rather than Flask-Mailman: the outbox needs to fix the Message-ID itself, to claim a
row after the connection is up and before DATA, and to tell temporary from permanent SMTP
errors; `smtplib` and `email.message.EmailMessage` give all of that with no extra dependency."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from redline.models import OutboxMail, utcnow


def build_message(row: OutboxMail, config) -> EmailMessage:
    """A multipart/alternative mail: the plain-text part first, then the HTML part."""
    msg = EmailMessage()
    sender = config.get("MAIL_DEFAULT_SENDER") or "Redline <redline@localhost>"
    msg["From"] = sender
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = row.message_id
    msg["Reply-To"] = config.get("MAIL_REPLY_TO") or sender
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    for name, value in (row.headers or {}).items():
        msg[name] = value
    msg.set_content(row.text_body)
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html")
    return msg


class Transport:
    def open(self) -> None: ...

    def close(self) -> None: ...

    def send(self, row: OutboxMail, config) -> None:
        raise NotImplementedError


class SmtpTransport(Transport):
    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        c = self.config
        ssl_port = c.get("MAIL_USE_SSL")
        cls = smtplib.SMTP_SSL if ssl_port else smtplib.SMTP
        self.smtp = cls(
            c["MAIL_SERVER"], c.get("MAIL_PORT") or 25, timeout=c.get("MAIL_TIMEOUT", 30)
        )
        if c.get("MAIL_USE_TLS"):
            self.smtp.starttls()
        if c.get("MAIL_USERNAME"):
            self.smtp.login(c["MAIL_USERNAME"], c.get("MAIL_PASSWORD") or "")

    def send(self, row: OutboxMail, config) -> None:
        assert self.smtp is not None
        refused = self.smtp.send_message(build_message(row, config))
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class ConsoleTransport(Transport):
    """Development: print each mail, and keep a copy as <id>.eml in MAIL_FOLDER if set."""

    def __init__(self, config):
        self.folder = Path(config["MAIL_FOLDER"]) if config.get("MAIL_FOLDER") else None

    def send(self, row: OutboxMail, config) -> None:
        msg = build_message(row, config)
        text = msg.as_string()
        print(
            f"----- mail {row.id} -----\n{text}\n----- end of mail {row.id} -----", file=sys.stderr
        )
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{row.id:06d}-{row.kind}.eml").write_bytes(msg.as_bytes())


def transport_for(config) -> Transport:
    return SmtpTransport(config) if config.get("MAIL_SERVER") else ConsoleTransport(config)
