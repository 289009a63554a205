"""Helpers shared by the digest tests."""

from datetime import timedelta

from django.utils import timezone

from kooperation import digest
from kooperation.models import DigestDelivery, DigestSetting, Frequency
from partners.models import Partner
from tests.factories import confirmed_application

Status = DigestDelivery.Status


def apply_to_join(name, official_key):
    slug = name.split()[-1].lower()
    return confirmed_application(
        name=name,
        kind=Partner.Kind.GEMEINDE,
        official_key=official_key,
        website=f"https://www.{slug}.example",
        contact_email=f"kontakt@{slug}.example",
    )


def digest_of(person, frequency=Frequency.WEEKLY, until=None):
    until = until or timezone.now() + timedelta(seconds=1)
    delivery = DigestDelivery(recipient=person, frequency=frequency, until=until)
    [built] = digest.build([delivery])
    return built


def texts(built, section=None):
    return [
        item.text
        for key, items, _total in built.sections
        if section in (None, key)
        for item in items
    ]


def delivered(person, frequency, period, until):
    """A digest the person already got (a finished delivery)."""
    return DigestDelivery.objects.create(
        recipient=person, frequency=frequency, period=period, until=until, status=Status.SENT
    )


def set_frequency(person, frequency, areas=()):
    setting = DigestSetting.objects.create(user=person, frequency=frequency)
    setting.areas.set(areas)


def batch_of(readers, **changes):
    return {
        "frequency": Frequency.WEEKLY,
        "period": "2026-W48",
        "until": timezone.now(),
        "recipient_ids": [r.pk for r in readers],
        **changes,
    }
