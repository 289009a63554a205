"""A mail server that fails: Django's locmem backend that refuses chosen messages once, as an
SMTP server under load does. The mail server lies outside the project; this is its stand-in."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    # Which message numbers (1-based, counted over the test) fail, each once.
    fail_on: set[int] = set()
    attempts = 0

    def send_messages(self, messages):
        for message in messages:
            FlakyEmailBackend.attempts += 1
            if FlakyEmailBackend.attempts in FlakyEmailBackend.fail_on:
                raise SMTPServerDisconnected("Verbindung zum Mailserver verloren")
            super().send_messages([message])
        return len(messages)
