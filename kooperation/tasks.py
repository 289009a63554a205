"""The digest runs: beat starts `run_digests`, which fans out one `send_digest_batch` per batch
of recipients; any number of workers share the batches. `resume_digests` (beat, every 15
minutes) picks up what a task that gave up left unsent."""

import smtplib
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kooperation import digest

# Worth another try: the mail server or the database away for a moment, e-mails refused for
# now, the time limit reached. Rows not sent are free again before the task ends.
TRANSIENT = (
    smtplib.SMTPException,
    OSError,  # ConnectionError, TimeoutError
    digest.Deferred,
    SoftTimeLimitExceeded,
    OperationalError,
    InterfaceError,
)


def retry_delay(retries: int) -> int:
    """Seconds before the next try after a mail error: doubling, capped (see settings)."""
    return min(settings.DIGEST_RETRY_DELAY * 2**retries, settings.DIGEST_RETRY_DELAY_MAX)


def run_until(now):
    """A digest covers what happened until shortly before its run: a step stamped just before
    `now` but committed after the run read it would otherwise fall between two digests."""
    return now - timedelta(seconds=settings.DIGEST_SETTLE_SECONDS)


def start_run(*, frequency: str, now=None) -> tuple[str, int]:
    """Enqueues (after commit) one batch task per batch of recipients; returns the period and
    the number of batches."""
    now = now or timezone.now()
    period = digest.period_of(frequency, now)
    until = run_until(now).isoformat()
    batches = 0
    for batch in digest.recipient_batches(frequency, period):
        send_digest_batch.delay_on_commit(frequency, period, until, batch)
        batches += 1
    return period, batches


@shared_task
def run_digests(frequency: str) -> None:
    start_run(frequency=frequency)


@shared_task
def resume_digests() -> int:
    """Sends again, in batches, what is pending and held by no live task."""
    digest.expire_abandoned()
    batches = 0
    left = digest.resumable(older_than=timedelta(minutes=5))
    for (frequency, period, until), ids in left.items():
        for start in range(0, len(ids), settings.DIGEST_BATCH_SIZE):
            batch = ids[start : start + settings.DIGEST_BATCH_SIZE]
            send_digest_batch.delay_on_commit(frequency, period, until.isoformat(), batch)
            batches += 1
    return batches


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def send_digest_batch(self, frequency: str, period: str, until: str, recipient_ids: list[int]):
    # The task id stays the same when Redis delivers the task again and on retries: a task
    # whose worker died takes its claimed rows back at once, and so does the retry of rows kept
    # for it (the resume run leaves them alone meanwhile).
    delay = retry_delay(self.request.retries)
    try:
        result = digest.deliver(
            frequency=frequency,
            period=period,
            until=parse_datetime(until),
            recipient_ids=recipient_ids,
            owner=f"task:{self.request.id}",
            keep_claim=None if self.request.is_eager else timedelta(seconds=delay + 60),
        )
    except TRANSIENT as error:
        if self.request.is_eager:
            raise  # inline (make run, send_digests): no waiting retries; the caller reports it
        # throw=False: the retry is scheduled and this try ends; what it sent stays sent.
        return self.retry(exc=error, countdown=delay, throw=False)
    if result["held"] and not self.request.is_eager:
        # Another task holds part of the batch: look again when its claim would have expired.
        return self.retry(countdown=settings.DIGEST_CLAIM_SECONDS, throw=False)
    return result


@shared_task
def security_state_expire() -> int:
    """Deletes expired entries of the security-state cache (Django's database cache removes
    them only once the table is full)."""
    from django.db import connection

    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
        return cursor.rowcount
