"""The digest runs: beat starts `run_digests`, which fans out one `send_digest_batch` per batch
of recipients; any number of workers share the batches."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kooperation import digest

MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


def retry_delay(retries: int) -> int:
    """Seconds before the next try after a mail error: doubling, capped (see settings)."""
    return min(settings.DIGEST_RETRY_DELAY * 2**retries, settings.DIGEST_RETRY_DELAY_MAX)


def start_run(*, frequency: str, now=None) -> tuple[str, int]:
    """Enqueues (after commit) one batch task per batch of recipients; returns the period and
    the number of batches."""
    now = now or timezone.now()
    period = digest.period_of(frequency, now)
    batches = 0
    for batch in digest.recipient_batches(frequency, period):
        send_digest_batch.delay_on_commit(frequency, period, now.isoformat(), batch)
        batches += 1
    return period, batches


@shared_task
def run_digests(frequency: str) -> None:
    start_run(frequency=frequency)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def send_digest_batch(self, frequency: str, period: str, until: str, recipient_ids: list[int]):
    try:
        digest.deliver(
            frequency=frequency,
            period=period,
            until=parse_datetime(until),
            recipient_ids=recipient_ids,
        )
    except MAIL_ERRORS as error:
        # throw=False: the retry is scheduled (or, when tasks run inline, run at once) and this
        # try ends; what it sent stays sent.
        return self.retry(exc=error, countdown=retry_delay(self.request.retries), throw=False)
