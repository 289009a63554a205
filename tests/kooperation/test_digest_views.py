"""The person's digest settings and the one-click unsubscribe link (RFC 8058)."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from kooperation import digest
from kooperation.models import DigestDelivery, DigestSetting, Frequency
from partners.models import Partner
from tests.factories import (
    AdminFactory,
    AreaFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("digest_settings")


def unsubscribe_url(token):
    return reverse("digest_unsubscribe", args=[token])


def frequency_of(person):
    setting = DigestSetting.objects.filter(user=person).first()
    return setting.frequency if setting else None


# Settings.


WAITING_NOTE = "Als Dezernent:in sehen Sie oben, was auf Ihre Entscheidung wartet"


@pytest.mark.parametrize(
    ("person", "told"),
    [
        (lambda: DepartmentHeadFactory(), True),
        (
            lambda: DepartmentHeadFactory(partner=PartnerFactory(status=Partner.Status.FORMER)),
            False,
        ),
        (lambda: UserFactory(), False),
        (lambda: AdminFactory(), False),
    ],
    ids=["member_head", "former_partners_head", "staff", "admin"],
)
def test_only_heads_whose_digest_lists_waiting_decisions_are_told_so(client, person, told):
    """The note follows partners.permissions.is_department_head_of_member: a former partner's
    head gets no digest (recipients are member people), so nothing waits there for them."""
    client.force_login(person())
    assert (WAITING_NOTE in client.get(SETTINGS_URL).text) is told


def test_settings_need_sign_in(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("factory", "default"),
    [(UserFactory, "weekly"), (DepartmentHeadFactory, "daily"), (AdminFactory, "weekly")],
)
def test_settings_show_the_default_of_the_role(client, factory, default):
    person = factory()
    client.force_login(person)
    response = client.get(SETTINGS_URL)
    assert response.status_code == 200
    assert response.context["form"].initial["frequency"] == default
    assert re.search(rf'<input[^>]*value="{default}"[^>]*checked', response.text)
    radios = re.findall(r'<input type="radio" name="frequency" value="([^"]*)"', response.text)
    assert radios == ["daily", "weekly", "never"]  # and no empty "---------"
    assert not DigestSetting.objects.exists()  # looking changes nothing


def test_saving_the_settings_keeps_frequency_and_fields_of_work(client):
    person = UserFactory()
    basis, online = AreaFactory(name="Basisdienste"), AreaFactory(name="Online-Dienste")
    client.force_login(person)
    response = client.post(SETTINGS_URL, {"frequency": "daily", "areas": [online.pk]}, follow=True)
    assert "Ihre Einstellungen zur Zusammenfassung sind gespeichert." in response.text
    setting = DigestSetting.objects.get(user=person)
    assert setting.frequency == Frequency.DAILY
    assert list(setting.areas.all()) == [online]
    assert basis not in setting.areas.all()
    assert person in digest.recipients(Frequency.DAILY)
    assert person not in digest.recipients(Frequency.WEEKLY)

    client.post(SETTINGS_URL, {"frequency": "never"})
    assert frequency_of(person) == Frequency.NEVER
    assert person not in digest.recipients(Frequency.DAILY)
    assert DigestSetting.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{"frequency": "stündlich"}, {}, {"frequency": "daily", "areas": ["999999"]}],
)
def test_bad_settings_are_explained_and_nothing_is_saved(client, data):
    person = UserFactory()
    client.force_login(person)
    response = client.post(SETTINGS_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert re.search("gültige Auswahl|zwingend erforderlich", response.text)
    assert not DigestSetting.objects.exists()


def test_each_person_changes_only_their_own_settings(client):
    person, other = UserFactory(), UserFactory()
    DigestSetting.objects.create(user=other, frequency=Frequency.DAILY)
    client.force_login(person)
    client.post(SETTINGS_URL, {"frequency": "never", "user": other.pk})
    assert frequency_of(other) == Frequency.DAILY
    assert frequency_of(person) == Frequency.NEVER


# Unsubscribing.


def test_the_link_asks_first_and_changes_nothing_on_get(client):
    person = DepartmentHeadFactory()
    response = client.get(unsubscribe_url(digest.unsubscribe_token(person)))
    assert response.status_code == 200
    assert f"Soll {person.email} keine Zusammenfassung" in response.text
    assert frequency_of(person) is None


def test_the_button_unsubscribes_without_sign_in(client):
    person = DepartmentHeadFactory()
    response = client.post(unsubscribe_url(digest.unsubscribe_token(person)))
    assert response.status_code == 200
    assert f"{person.email} erhält keine Zusammenfassung mehr." in response.text
    assert frequency_of(person) == Frequency.NEVER
    assert person not in digest.recipients(Frequency.DAILY)


def test_one_click_from_the_mail_program_works_without_csrf_token():
    person = UserFactory()
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        unsubscribe_url(digest.unsubscribe_token(person)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequency_of(person) == Frequency.NEVER
    # Twice is fine: still unsubscribed, one setting.
    mail_program.post(unsubscribe_url(digest.unsubscribe_token(person)))
    assert DigestSetting.objects.filter(user=person).count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MQ:1xWZXs:F627sENl2TQCbCa4pRixy-ZbAu6ImaMs1GV8s4a9zzY",  # signed with another key
        signing.dumps(1, salt="another.purpose"),
    ],
    # Named, not by value: a signed value holds the time, and xdist's workers collect at
    # different moments (they must all see the same test ids).
    ids=["nonsense", "another-key", "another-purpose"],
)
def test_a_forged_link_is_refused_with_a_clear_page(client, token):
    person = UserFactory()
    for method in (client.get, client.post):
        response = method(unsubscribe_url(token))
        assert response.status_code == 400
        assert "Dieser Link ist ungültig" in response.text
    assert frequency_of(person) is None


def test_a_token_for_someone_else_cannot_be_made_from_ones_own(client):
    person, other = UserFactory(), UserFactory()
    token = digest.unsubscribe_token(person)
    _value, rest = token.split(":", 1)
    forged = signing.b64_encode(str(other.pk).encode()).decode() + ":" + rest
    response = client.post(unsubscribe_url(forged))
    assert response.status_code == 400
    assert frequency_of(other) is None


def test_an_expired_link_is_refused_with_a_clear_page(client, settings, monkeypatch):
    person = UserFactory()
    made_at = time.time() - 2.1  # a token made 2.1 seconds ago, without waiting for it
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: made_at)
        token = digest.unsubscribe_token(person)
    settings.DIGEST_UNSUBSCRIBE_MAX_AGE = 1
    response = client.post(unsubscribe_url(token))
    assert response.status_code == 400
    assert "Dieser Link ist abgelaufen" in response.text
    assert frequency_of(person) is None


def test_a_link_of_a_deleted_person_is_refused(client):
    person = UserFactory()
    token = digest.unsubscribe_token(person)
    person.delete()
    response = client.post(unsubscribe_url(token))
    assert response.status_code == 400
    assert "Dieser Link ist ungültig" in response.text


# Admin.


def test_the_office_sees_deliveries_in_the_admin_and_cannot_change_them(client):
    office = AdminFactory()
    person = UserFactory(email="anna@adorf.example")
    delivery = DigestDelivery.objects.create(
        recipient=person,
        frequency=Frequency.WEEKLY,
        period="2026-W48",
        until="2026-11-26T06:30:00+01:00",
        status=DigestDelivery.Status.SENT,
        items=4,
        error="",
    )
    client.force_login(office)
    listing = client.get(reverse("admin:kooperation_digestdelivery_changelist"))
    assert listing.status_code == 200
    assert "anna@adorf.example" in listing.text or person.name in listing.text
    assert "2026-W48" in listing.text
    detail = client.get(reverse("admin:kooperation_digestdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    assert client.get(reverse("admin:kooperation_digestdelivery_add")).status_code == 403
    client.post(
        reverse("admin:kooperation_digestdelivery_change", args=[delivery.pk]),
        {"status": "pending"},
    )
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.SENT
    settings_list = client.get(reverse("admin:kooperation_digestsetting_changelist"))
    assert settings_list.status_code == 200


def test_the_admin_index_is_german_and_lists_no_one_elses_sessions(client):
    client.force_login(AdminFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "User sessions" not in response.text
    assert "Versand der Zusammenfassungen" in response.text
