"""The e-mails that ask department heads to co-sign: at once when a position of another partner
enters Mitzeichnung, and one reminder two days before the deadline to the heads whose partner has
not decided. Each exactly once per position and person: a PositionNotice row (unique) is written
with the outbox job in one transaction, under the position's row lock."""

import datetime

from django.db import transaction
from django.utils import timezone

from partners.models import Partner, User
from positions import emails, selectors
from positions.models import Position, PositionNotice

Kind = PositionNotice.Kind

# The reminder goes out this many days before the deadline (or later, if the position was
# opened with a shorter deadline), until the deadline itself.
REMIND_DAYS_BEFORE = 2


def _heads_of(partners) -> list[User]:
    return list(
        User.objects.filter(
            partner__in=partners, role=User.Role.DEPARTMENT_HEAD, is_active=True
        ).select_related("partner")
    )


def _notify(position: Position, heads: list[User], kind: str) -> list[User]:
    """Writes a notice and queues the e-mail for each of `heads` who has not had this one.
    Runs inside the caller's transaction, with the position's row locked."""
    had = set(
        PositionNotice.objects.filter(position=position, kind=kind).values_list(
            "recipient_id", flat=True
        )
    )
    new = [head for head in heads if head.pk not in had and head.email]
    PositionNotice.objects.bulk_create(
        [PositionNotice(position=position, recipient=head, kind=kind) for head in new]
    )
    for head in new:
        emails.cosigning_requested(position, head, reminder=kind == Kind.REMINDER)
    return new


def notify_opened(position: Position) -> list[User]:
    """The heads of the other member partners, when `position` (locked) enters Mitzeichnung."""
    others = Partner.objects.members().exclude(pk=position.lead_partner_id)
    return _notify(position, _heads_of(others), Kind.OPENED)


def reminders_due(today: datetime.date | None = None):
    """Positions in Mitzeichnung whose deadline is at most REMIND_DAYS_BEFORE days away."""
    today = today or timezone.localdate()
    return Position.objects.filter(
        status=Position.Status.COSIGNING,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    )


def reminders_send(*, today: datetime.date | None = None) -> int:
    """One reminder to each head whose partner has not decided on a position due soon; the
    number of e-mails queued. A second run (or two at once) sends nothing more."""
    sent = 0
    for pk in reminders_due(today).values_list("pk", flat=True):
        with transaction.atomic():
            position = Position.objects.select_for_update().filter(pk=pk).first()
            if position is None or position.status != Position.Status.COSIGNING:
                continue
            heads = _heads_of(selectors.undecided_members(position))
            sent += len(_notify(position, heads, Kind.REMINDER))
    return sent
