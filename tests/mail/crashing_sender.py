"""A real sender that dies (SIGKILL) right after the relay accepted a mail and before the
outbox records it: the crash the Message-ID check must cover. Run as a subprocess by
test_crash_and_queue.py: `python crashing_sender.py DATABASE_URL SMTP_PORT`."""

import os
import signal
import sys

from config import TestConfig
from redline import create_app
from redline.services import mail


class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = int(sys.argv[2])


def die_before_marking(session, mail_id):
    os.kill(os.getpid(), signal.SIGKILL)


mail.mark_sent = die_before_marking
mail.send_pending(create_app(Config))
sys.exit(3)  # not reached: the process is killed after the first send
