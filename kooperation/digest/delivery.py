"""Sending each digest exactly once per period: claim a batch's delivery rows, send, mark each
as sent at once; release what was not sent; resume and expire what a task left behind."""

import logging
import smtplib
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError
from django.db import connection as database
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from kooperation.digest.content import Digest, build
from kooperation.digest.render import ItemLines, message
from kooperation.models import DigestDelivery
from partners.models import User

logger = logging.getLogger(__name__)

Status = DigestDelivery.Status


class Deferred(Exception):
    """Some e-mails of a batch were refused for now (4xx); the batch is tried again later.
    Carries the batch's counts and the number deferred."""

    def __str__(self):
        result, deferred = self.args
        return f"{deferred} E-Mails vorläufig abgelehnt, {result['sent']} versendet"


def is_refused_for_good(error: Exception) -> bool:
    """The mail server will never take this message (5xx for it, or an unusable address);
    anything else – the server away, a full queue, bad credentials – is worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)  # BadHeaderError, an address Django cannot encode


def is_for_this_message(error: Exception) -> bool:
    return isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


def lease():
    """Until when a claim holds, on the database's clock (the same for every worker)."""
    return Now() + timedelta(seconds=settings.DIGEST_CLAIM_SECONDS)


def claim(
    *, frequency: str, period: str, until: datetime, recipient_ids, owner: str
) -> list[DigestDelivery]:
    """Writes the delivery rows of this batch (existing ones stay as they are) and claims for
    `owner` those not finished and not held by someone else; returns the claimed ones.

    One conditional UPDATE claims: of two workers at once, the second finds the rows taken
    (PostgreSQL re-checks the condition after the first commits; SQLite writes one at a time).
    """
    existing = list(User.objects.filter(pk__in=recipient_ids).values_list("pk", flat=True))
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(recipient_id=pk, frequency=frequency, period=period, until=until)
            for pk in existing
        ],
        ignore_conflicts=True,
    )
    batch = DigestDelivery.objects.filter(
        frequency=frequency, period=period, recipient_id__in=existing, status=Status.PENDING
    )
    batch.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=Now()) | Q(claimed_by=owner)
    ).update(claimed_by=owner, claimed_until=lease())
    return list(batch.filter(claimed_by=owner).order_by("pk"))


def mark_sent(delivery: DigestDelivery, digest: Digest, owner: str) -> bool:
    """Marks `delivery` sent if `owner` still holds it; False if the claim was lost."""
    held = DigestDelivery.objects.filter(pk=delivery.pk, claimed_by=owner, status=Status.PENDING)
    return (
        held.update(
            status=Status.SENT,
            since=digest.since,
            items=digest.items,
            sent_at=timezone.now(),
            attempts=delivery.attempts + 1,
            error="",
            claimed_by="",
            claimed_until=None,
        )
        == 1
    )


def note_failure(mine, delivery: DigestDelivery, error: Exception) -> str:
    """Notes a failed send on the delivery; returns its status: FAILED if the message will
    never go out, else PENDING. A lost connection is not this message's fault: it spends no
    attempt."""
    attempts = delivery.attempts + (1 if is_for_this_message(error) else 0)
    refused = is_refused_for_good(error) or (
        is_for_this_message(error) and attempts >= settings.DIGEST_MAX_ATTEMPTS
    )
    status = Status.FAILED if refused else Status.PENDING
    mine.filter(pk=delivery.pk).update(
        attempts=attempts, error=f"{type(error).__name__}: {error}"[:2000], status=status
    )
    return status


@contextmanager
def commits_not_waiting_for_the_disk():
    """PostgreSQL: commits meanwhile return before their WAL is on disk (synchronous_commit
    off). They are visible at once and survive any worker's death; only a crash of PostgreSQL
    itself (or of its machine) may forget the last of them (up to 3 × wal_writer_delay). For
    the per-e-mail "sent" marks that means: after a database crash the e-mails of its last
    moments go out again. Waiting for the disk at each mark slowed a run down the most (see
    docs/performance.md)."""
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        # A broken connection takes the setting with it (and is closed after the task).
        with suppress(DatabaseError), database.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send(
    digests: list[Digest],
    deliveries: list[DigestDelivery],
    *,
    frequency: str,
    owner: str,
    keep_claim: timedelta | None,
) -> tuple[int, int, int]:
    """Sends the `digests` of the claimed `deliveries`, marking each sent at once; returns the
    numbers sent, failed and deferred. The unsent rest stays with `owner` for `keep_claim` or
    is released at once."""
    by_recipient = {delivery.recipient_id: delivery for delivery in deliveries}
    mine = DigestDelivery.objects.filter(
        claimed_by=owner, status=Status.PENDING, pk__in=[delivery.pk for delivery in deliveries]
    )
    sent = failed = deferred = 0
    connection = get_connection()
    lines = ItemLines()
    renewed = time.monotonic()
    with commits_not_waiting_for_the_disk():
        try:
            for digest in digests:
                delivery = by_recipient[digest.recipient.pk]
                if time.monotonic() - renewed > settings.DIGEST_CLAIM_SECONDS / 3:
                    mine.update(claimed_until=lease())
                    renewed = time.monotonic()
                try:
                    message(digest, frequency, connection=connection, lines=lines).send()
                except Exception as error:
                    if note_failure(mine, delivery, error) == Status.FAILED:
                        failed += 1
                    elif is_for_this_message(error):
                        deferred += 1
                    else:
                        raise
                    continue
                if not mark_sent(delivery, digest, owner):
                    logger.warning("Digest %s: claim lost while sending", delivery.pk)
                sent += 1
        finally:
            connection.close()
            # Whatever is still claimed here was not sent: kept for the retry, or free at once.
            if keep_claim:
                mine.update(claimed_until=Now() + keep_claim)
            else:
                mine.update(claimed_by="", claimed_until=None)
    return sent, failed, deferred


def deliver(
    *,
    frequency: str,
    period: str,
    until: datetime,
    recipient_ids,
    owner: str,
    keep_claim: timedelta | None = None,
) -> dict:
    """Builds and sends the digests of one batch; returns counts.

    Each e-mail is marked sent right after the mail server took it. An e-mail the server
    refuses for good is marked failed; one refused for now is tried again with the batch
    (`Deferred`, after the others; it counts against the message's attempts); a broken
    connection stops the batch. Either way the unsent rest stays with `owner` for `keep_claim`
    (the task's retry, under the same owner, takes it back) or is released at once. What
    another worker holds is counted as `held`.
    """
    deliveries = claim(
        frequency=frequency, period=period, until=until, recipient_ids=recipient_ids, owner=owner
    )
    by_recipient = {delivery.recipient_id: delivery for delivery in deliveries}
    digests = build(deliveries)
    built = {d.recipient.pk for d in digests}
    # Nothing new, or no longer a recipient: finished without an e-mail.
    empty = [by_recipient[d.recipient.pk].pk for d in digests if not d.news]
    empty += [delivery.pk for delivery in deliveries if delivery.recipient_id not in built]
    DigestDelivery.objects.filter(pk__in=empty).update(
        status=Status.EMPTY, claimed_by="", claimed_until=None
    )
    sent, failed, deferred = send(
        [d for d in digests if d.news],
        deliveries,
        frequency=frequency,
        owner=owner,
        keep_claim=keep_claim,
    )
    held = (
        DigestDelivery.objects.filter(
            frequency=frequency,
            period=period,
            recipient_id__in=recipient_ids,
            status=Status.PENDING,
        )
        .exclude(claimed_by="")
        .exclude(claimed_by=owner)
    )
    result = {
        "claimed": len(deliveries),
        "sent": sent,
        "empty": len(empty),
        "failed": failed,
        "held": held.count(),
    }
    logger.info("Digest %s %s: %s", frequency, period, result)
    if deferred:
        raise Deferred(result, deferred)
    return result


def expire_abandoned() -> int:
    """Pending deliveries older than two days will not go out any more (the next digest
    covers their time): marked expired, so the admin does not show them as waiting."""
    return DigestDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=Now()),
        status=Status.PENDING,
        created_at__lt=timezone.now() - timedelta(days=2),
    ).update(status=Status.EXPIRED, claimed_by="", claimed_until=None)


def resumable(*, older_than: timedelta = timedelta(0)) -> dict[tuple, list[int]]:
    """Deliveries of the last two days still pending and held by nobody: what a killed worker
    or a task given up left behind. (frequency, period, until) → recipient ids."""
    cutoff = timezone.now() - older_than
    pending = (
        DigestDelivery.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=Now()),
            status=Status.PENDING,
            created_at__gte=timezone.now() - timedelta(days=2),
            created_at__lte=cutoff,
        )
        .order_by("frequency", "period", "until", "recipient_id")
        .values_list("frequency", "period", "until", "recipient_id")
    )
    left = defaultdict(list)
    for frequency, period, until, recipient_id in pending:
        left[frequency, period, until].append(recipient_id)
    return left
