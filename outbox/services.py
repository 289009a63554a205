"""The e-mail outbox: every e-mail of the portal except the digest (which keeps delivery records
of its own, kooperation.digest) is written as a job in the transaction of the change that causes
it, already rendered, and delivered by Celery once that transaction has committed.

- `mail_queue` writes the job and, after commit, enqueues its delivery. A broker that is down
  only delays the e-mail (on_commit is robust, publishing fails fast, see settings): the beat
  sweep (`jobs_enqueue_due`, every minute) enqueues every pending job that is due.
- `job_deliver` locks the job row (skipping a row another worker holds), sends only a job that
  is still pending, and marks it sent in the same transaction: a job delivered twice – by its
  own task and by the sweep, or redelivered by Redis – is sent once. A mail error counts an
  attempt and sets the next one after a growing pause; after OUTBOX_MAX_ATTEMPTS it is failed,
  and the office can send it again from the admin (`job_retry`).

The one gap, as with the digest: a worker killed after the mail server accepted the e-mail and
before the "sent" mark committed leaves the job pending; the sweep sends it a second time. An
e-mail is never lost, and sent twice only in that moment.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outbox.models import EmailAttachment, EmailJob

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """A header value on one line: every run of whitespace, line breaks included, is one space."""
    return " ".join(str(text).split())


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template (subject or body) without HTML escaping: an e-mail is not HTML, and
    `für <img src=x> & Söhne` must read as written, not as `für &lt;img …`."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


# After the broker failed, this process does not try it again for this many seconds: a request
# that queues ten e-mails waits for one failed publish, not ten (the sweep sends them later).
BROKER_PAUSE_SECONDS = 10
# A job the sweep enqueued is not enqueued again by the next sweeps for this long.
SWEEP_LEASE = timedelta(minutes=5)
_broker_down_until = 0.0


def _enqueue(job_id: int) -> None:
    global _broker_down_until
    from outbox.tasks import deliver_email

    if time.monotonic() < _broker_down_until:
        logger.warning("Broker nicht erreichbar: E-Mail %s wartet auf den Sweep.", job_id)
        return
    try:
        deliver_email.delay(job_id)
    except BrokerError:
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        raise


def _enqueue_after_commit(job_id: int) -> None:
    # A lambda, not functools.partial: Django logs a robust callback's failure by its
    # __qualname__, which a partial lacks (the log call itself would raise).
    transaction.on_commit(lambda: _enqueue(job_id), robust=True)


@transaction.atomic
def mail_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
    kind: str,
) -> EmailJob:
    """Writes one e-mail job in the current transaction; its delivery is enqueued after commit
    (a rollback sends nothing). `robust`: a broker that cannot be reached is logged, the change
    stays saved, and the sweep enqueues the job later. `attachments`: (filename, content,
    mimetype) each."""
    job = EmailJob(
        kind=kind,
        recipients=[address for address in to if address],
        subject=one_line(subject)[: EmailJob._meta.get_field("subject").max_length],
        body=body,
        html=html or "",
        headers={one_line(name): one_line(value) for name, value in (headers or {}).items()},
    )
    job.full_clean()
    job.save()
    for filename, content, mimetype in attachments:
        attachment = EmailAttachment(
            job=job, filename=one_line(filename), mimetype=mimetype, content=content
        )
        attachment.full_clean(exclude=["job"])
        attachment.save()
    _enqueue_after_commit(job.pk)
    return job


def retry_delay(attempts: int) -> timedelta:
    """The pause after the n-th failed attempt: doubling from OUTBOX_RETRY_DELAY, capped."""
    seconds = settings.OUTBOX_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_DELAY_MAX))


def _message(job: EmailJob) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=job.subject, body=job.body, to=job.recipients, headers=job.headers
    )
    if job.html:
        message.attach_alternative(job.html, "text/html")
    for attachment in job.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


@transaction.atomic
def job_deliver(*, job_id: int) -> str:
    """Sends the job if it is still pending and no one else holds it; returns its status after
    the attempt ("" when another worker holds it or it does not exist)."""
    job = EmailJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
    if job is None or job.status != EmailJob.Status.PENDING:
        return job.status if job else ""
    job.attempts += 1
    try:
        _message(job).send()
    except Exception as error:  # whatever the mail server or its connection says
        logger.warning("E-Mail %s (%s) nicht gesendet: %r", job.pk, job.kind, error)
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        if job.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            job.status = EmailJob.Status.FAILED
        else:
            job.next_attempt_at = timezone.now() + retry_delay(job.attempts)
        job.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return job.status
    job.status = EmailJob.Status.SENT
    job.sent_at = timezone.now()
    # Sent: the text and the attachments go. They may hold a live link (an invitation) or
    # personal data (feedback, an application, a letter) that is kept where it belongs; the job
    # keeps who, what and when.
    job.body = job.html = ""
    job.save(update_fields=["attempts", "status", "sent_at", "body", "html"])
    job.attachments.all().delete()
    return job.status


def jobs_enqueue_due(*, now=None) -> int:
    """The sweep: enqueues every pending job that is due – never enqueued because the broker was
    down, or waiting for its next attempt. A job whose own task is still queued is delivered
    once all the same (job_deliver)."""
    now = now or timezone.now()
    ids = list(EmailJob.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True))
    # Not due again for a while: a worker that is slow or away does not find the same job
    # queued once per sweep (the queue's Redis is never evicted and must not fill up).
    EmailJob.objects.filter(pk__in=ids).update(next_attempt_at=now + SWEEP_LEASE)
    for job_id in ids:
        _enqueue(job_id)
    return len(ids)


@transaction.atomic
def job_retry(*, job: EmailJob) -> bool:
    """The office sends a failed job again: pending, due now, enqueued after commit."""
    updated = EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.FAILED).update(
        status=EmailJob.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if updated:
        _enqueue_after_commit(job.pk)
    return bool(updated)
