"""The digest's recipients: who gets one at which frequency, for which period, in batches."""

import datetime

import pytest
from django.utils import timezone

from kooperation import digest
from kooperation.models import DigestDelivery, Frequency
from partners.models import Partner
from tests.factories import AdminFactory, PartnerFactory, UserFactory
from tests.kooperation.digests import set_frequency

Status = DigestDelivery.Status


@pytest.mark.parametrize(
    ("moment", "daily", "weekly"),
    [
        ("2026-11-26T10:00:00+00:00", "2026-11-26", "2026-W48"),
        # 23:30 UTC is already the next day in Berlin.
        ("2026-11-26T23:30:00+00:00", "2026-11-27", "2026-W48"),
        # Sunday night in Berlin is Monday: a new ISO week.
        ("2026-11-29T23:30:00+00:00", "2026-11-30", "2026-W49"),
        # New Year's Day 2027 still belongs to ISO week 53 of 2026.
        ("2027-01-01T08:00:00+01:00", "2027-01-01", "2026-W53"),
    ],
)
def test_a_period_is_a_berlin_day_or_iso_week(moment, daily, weekly):
    moment = datetime.datetime.fromisoformat(moment)
    assert digest.period_of(Frequency.DAILY, moment) == daily
    assert digest.period_of(Frequency.WEEKLY, moment) == weekly


def test_department_heads_get_it_daily_and_everyone_else_weekly_unless_they_chose(coop):
    office = AdminFactory()
    silent = UserFactory(partner=coop.a)
    set_frequency(silent, Frequency.NEVER)
    keen = UserFactory(partner=coop.b)
    set_frequency(keen, Frequency.DAILY)
    UserFactory(partner=coop.a, is_active=False)
    former = PartnerFactory(status=Partner.Status.FORMER, left_on="2024-01-01")
    UserFactory(partner=former)

    daily = set(digest.recipients(Frequency.DAILY))
    weekly = set(digest.recipients(Frequency.WEEKLY))

    assert daily == {coop.head_a, coop.head_b, keen}
    assert weekly == {coop.staff_a, coop.staff_b, office}
    assert silent not in daily | weekly


def test_recipients_come_in_batches_without_those_already_done(coop, settings):
    people = [UserFactory(partner=coop.a) for _ in range(5)]
    period = "2026-W48"
    DigestDelivery.objects.create(
        recipient=people[0],
        frequency=Frequency.WEEKLY,
        period=period,
        until=timezone.now(),
        status=Status.SENT,
    )
    batches = list(digest.recipient_batches(Frequency.WEEKLY, period, batch_size=2))
    everyone = [pk for batch in batches for pk in batch]
    assert [len(batch) for batch in batches] == [2, 2, 2]
    assert everyone == sorted({coop.staff_a.pk, coop.staff_b.pk, *(p.pk for p in people[1:])})
