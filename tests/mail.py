"""A mail server that fails: Django's locmem backend that refuses chosen messages once, as an
SMTP server under load does. The mail server lies outside the project; this is its stand-in."""

import os
import time
import uuid
from pathlib import Path
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    # Which message numbers (1-based, counted over the test) fail, each once, as a lost
    # connection; and which addresses the server refuses, with which SMTP code, every time.
    fail_on: set[int] = set()
    refuse: dict[str, int] = {}
    attempts = 0

    @classmethod
    def reset(cls, *, fail_on=(), refuse=None):
        cls.attempts, cls.fail_on, cls.refuse = 0, set(fail_on), dict(refuse or {})

    def send_messages(self, messages):
        for message in messages:
            FlakyEmailBackend.attempts += 1
            if FlakyEmailBackend.attempts in FlakyEmailBackend.fail_on:
                raise SMTPServerDisconnected("Verbindung zum Mailserver verloren")
            [address] = message.to
            if address in FlakyEmailBackend.refuse:
                code = FlakyEmailBackend.refuse[address]
                raise SMTPRecipientsRefused({address: (code, b"Mailbox nicht verfuegbar")})
            super().send_messages([message])
        return len(messages)


class SlowFileBackend(BaseEmailBackend):
    """One file per e-mail in EMAIL_FILE_PATH, each after TEST_EMAIL_DELAY seconds: a mail
    server that takes its time, so a test can kill the worker between two e-mails."""

    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        for message in messages:
            time.sleep(float(os.environ.get("TEST_EMAIL_DELAY", "0")))
            name = uuid.uuid4().hex
            partial = folder / f"{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")  # the test never reads half an e-mail
        return len(messages)


def synchronous_commit() -> str:
    """PostgreSQL's synchronous_commit on this thread's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


class CommitSettingBackend(EmailBackend):
    """locmem that notes PostgreSQL's synchronous_commit at each e-mail: the setting the e-mail's
    "sent" mark commits with right after."""

    seen: list[str] = []

    def send_messages(self, messages):
        CommitSettingBackend.seen.append(synchronous_commit())
        return super().send_messages(messages)
