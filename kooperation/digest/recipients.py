"""Who gets a digest, and for which period."""

from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kooperation.models import DigestDelivery, Frequency
from partners.models import Partner, User


def period_of(frequency: str, moment: datetime) -> str:
    """The day (2026-11-26) or ISO week (2026-W48) in Berlin time a run at `moment` serves."""
    day = timezone.localtime(moment).date()
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def recipients(frequency: str):
    """Active people of member partners (and the office) with a confirmed address whose digest
    runs at `frequency`."""
    heads = Q(role=User.Role.DEPARTMENT_HEAD, partner__isnull=False)
    chosen = Q(digest_setting__frequency=frequency)
    by_default = Q(digest_setting__isnull=True) & (
        heads if frequency == Frequency.DAILY else ~heads
    )
    confirmed = EmailAddress.objects.filter(
        user_id=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    return User.objects.filter(
        Q(partner__status=Partner.Status.MEMBER) | Q(partner__isnull=True, is_staff=True),
        chosen | by_default,
        Exists(confirmed),
        is_active=True,
    )


def recipient_batches(frequency: str, period: str, batch_size: int | None = None):
    """Ids of the recipients still without a finished delivery for `period`, in batches."""
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    done = DigestDelivery.objects.filter(frequency=frequency, period=period).exclude(
        status=DigestDelivery.Status.PENDING
    )
    pending = recipients(frequency).exclude(pk__in=done.values("recipient_id")).order_by("pk")
    # All ids in one query: asked batch by batch, the planner would join and sort every
    # remaining recipient again for each batch.
    ids = list(pending.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        yield ids[start : start + batch_size]
