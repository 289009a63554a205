"""The public application form cannot be used to send e-mails at will: each form is sent
once, submissions are limited per IP and per contact address, and department heads are asked
to vote only after the applicant confirmed the address; unconfirmed applications expire."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Application, ApplicationEvent
from tests.factories import DepartmentHeadFactory, PartnerFactory, application_data
from tests.partners.test_views import APPLICATION, application_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heads():
    return [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]


def apply(client, **overrides):
    return client.post(
        reverse("partners:application_create"), application_form_data(client, **overrides)
    )


def test_one_form_token_sent_fifteen_times_makes_one_application_and_one_email(
    client, heads, outbox_with
):
    data = application_form_data(client)
    responses = [
        client.post(
            reverse("partners:application_create"),
            {**data, "official_key": f"0315{8000 + number:04d}"[:8]},
        )
        for number in range(15)
    ]
    assert responses[0].status_code == 302
    assert all("bereits abgeschickt" in response.text for response in responses[1:])
    assert Application.objects.count() == 1
    assert len(outbox_with(1)) == 1  # the receipt; no vote requests before confirmation


def test_the_heads_are_asked_only_after_the_applicant_confirms(client, heads, outbox_with):
    assert apply(client).status_code == 302
    [receipt] = outbox_with(1)
    assert receipt.to == [APPLICATION["contact_email"]]
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert not application.electorate.exists()
    # Heads do not see it yet.
    client.force_login(heads[0])
    assert APPLICATION["name"] not in client.get(reverse("partners:application_list")).text
    assert (
        client.get(reverse("partners:application_detail", args=[application.pk])).status_code == 404
    )
    client.logout()

    link = urlparse(re.search(r"https?://\S+/beitritt/bestaetigen/\S+/", receipt.body).group(0))
    assert client.get(link.path).status_code == 200  # a page, no change on GET
    assert Application.objects.get().status == Application.Status.UNCONFIRMED
    response = client.post(link.path, follow=True)
    assert "Ihre Adresse ist bestätigt" in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    assert application.electorate.count() == 3
    assert application.events.filter(kind=ApplicationEvent.Kind.SUBMITTED).count() == 1
    messages = outbox_with(4)
    assert sorted(message.to[0] for message in messages[1:]) == sorted(h.email for h in heads)
    # Confirming again changes nothing and sends nothing.
    client.post(link.path)
    assert len(outbox_with(4)) == 4
    assert application.events.count() == 1


def test_applications_are_limited_per_contact_address(client, heads):
    statuses = [
        apply(client, official_key=key, name=f"Gemeinde {key}").status_code
        for key in ("03158001", "03158002", "03158003", "03158004")
    ]
    assert statuses == [302, 302, 302, 429]
    assert Application.objects.count() == 3


def test_applications_are_limited_per_ip(client, heads):
    statuses = [
        apply(
            client,
            official_key=f"031580{number:02d}",
            name=f"Gemeinde {number}",
            contact_email=f"person{number}@gemeinde.example",
        ).status_code
        for number in range(1, 13)
    ]
    assert statuses == [302] * 10 + [429, 429]


def test_unconfirmed_applications_expire_after_seven_days(heads):
    old = services.application_submit(**application_data(official_key="03158037"))
    Application.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    fresh = services.application_submit(
        **application_data(official_key="03158038", name="Gemeinde Neu")
    )
    assert services.applications_unconfirmed_expire() == 1
    assert list(Application.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_unconfirmed_applications_do_not_block_the_key(heads):
    data = application_data(official_key="03158037")
    first = services.application_submit(**data)
    second = services.application_submit(**data)
    services.application_confirm(application=second)
    with pytest.raises(ValidationError, match="offener Beitrittsantrag"):
        services.application_confirm(application=first)
    assert Application.objects.get(pk=first.pk).status == Application.Status.UNCONFIRMED


@pytest.mark.parametrize("suffix", [" ", "\t", "\xa0", "\n"])
def test_spaces_around_the_form_token_make_no_new_form(client, heads, suffix):
    data = application_form_data(client)
    assert client.post(reverse("partners:application_create"), data).status_code == 302
    again = {**data, "official_key": "03158000", "started": data["started"] + suffix}
    response = client.post(reverse("partners:application_create"), again)
    assert "bereits abgeschickt" in response.text
    assert Application.objects.count() == 1


def test_an_application_withdrawn_before_confirmation_never_reaches_the_heads(client, heads):
    application = services.application_submit(**application_data(official_key="03158037"))
    services.application_withdraw(application=application)
    client.force_login(heads[0])
    assert APPLICATION["name"] not in client.get(reverse("partners:application_list")).text
    detail = reverse("partners:application_detail", args=[application.pk])
    assert client.get(detail).status_code == 404


def test_rate_limit_keys_ignore_plus_addressing(client, heads):
    statuses = [
        apply(
            client,
            official_key=f"0315800{number}",
            name=f"Gemeinde {number}",
            contact_email=f"maria+{number}@wolfenbuettel.example",
        ).status_code
        for number in range(1, 5)
    ]
    assert statuses == [302, 302, 302, 429]
