"""The digest: who gets one, what is in it, and how each is sent exactly once per period.

A run (Celery beat, or `manage.py send_digests`) picks the recipients of one frequency and hands
them out in batches (`recipients`). A batch first writes a delivery row per recipient and period
(unique, so a second run, a duplicate beat or a redelivered task finds it taken), claims the
unsent ones for its task (a lease on the database clock), builds their digests with a fixed
number of queries (`content`), renders (`render`) and sends them one by one, marking each as
sent at once (`delivery`). A mail error releases the rest for the task's retry; a killed
worker's task is delivered again by Redis and takes its rows back, and `resumable` (beat, every
15 minutes) sends what a task that gave up left behind.

The one gap no design closes: a worker killed after the mail server took an e-mail and before
the row says so sends that one e-mail again. We choose that over losing it. A crash of PostgreSQL
itself (not of a worker) may in addition forget the marks of the e-mails sent in its last
moments, which then go out again (see `delivery.commits_not_waiting_for_the_disk`).
"""

from kooperation.digest.content import ITEMS_PER_SECTION, Digest, build, news_between
from kooperation.digest.delivery import (
    Deferred,
    claim,
    deliver,
    expire_abandoned,
    mark_sent,
    resumable,
)
from kooperation.digest.recipients import period_of, recipient_batches, recipients
from kooperation.digest.render import KIND_OF_DIGEST, SECTION_TITLES, ItemLines, message, subject
from kooperation.digest.unsubscribe import unsubscribe_token, user_from_unsubscribe_token

__all__ = [
    "ITEMS_PER_SECTION",
    "KIND_OF_DIGEST",
    "SECTION_TITLES",
    "Deferred",
    "Digest",
    "ItemLines",
    "build",
    "claim",
    "deliver",
    "expire_abandoned",
    "mark_sent",
    "message",
    "news_between",
    "period_of",
    "recipient_batches",
    "recipients",
    "resumable",
    "subject",
    "unsubscribe_token",
    "user_from_unsubscribe_token",
]
