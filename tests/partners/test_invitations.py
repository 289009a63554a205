"""The office invites people by e-mail, whatever their address's domain; they set their own
password through the link and are then confirmed and can sign in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from partners.models import User
from tests.factories import AdminFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "ein-eigenes-passwort-2026"


@pytest.fixture
def office(client):
    client.force_login(AdminFactory())
    return client


def invite(client, partner, email="Neue.Kollegin@Ganz-Anders.example"):
    return client.post(
        reverse("admin:partners_user_add"),
        {
            "email": email,
            "name": "Nora Neu",
            "job_title": "Dezernentin für Digitales",
            "partner": partner.pk,
            "role": "department_head",
        },
    )


def link_in(message):
    return re.search(r"http://\S+", message.body).group(0).removeprefix("http://127.0.0.1:8000")


def test_an_invited_person_sets_a_password_and_signs_in(office, outbox_with, client):
    partner = PartnerFactory(name="Gemeinde Fernab")
    response = invite(office, partner)
    assert response.status_code == 302
    person = User.objects.get(email="neue.kollegin@ganz-anders.example")
    assert (person.partner, person.role) == (partner, User.Role.DEPARTMENT_HEAD)
    assert not person.has_usable_password()
    assert not EmailAddress.objects.get(user=person).verified

    [invitation] = outbox_with(1)
    assert invitation.to == ["neue.kollegin@ganz-anders.example"]
    assert "Einladung" in invitation.subject
    assert "Gemeinde Fernab" in invitation.body
    assert "Authenticator-App" in invitation.body  # heads are told about the second factor

    client.logout()
    response = client.get(link_in(invitation), follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link_in(invitation),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=person).verified  # the link proved the address
    # No "Ihr Passwort wurde zurückgesetzt – waren Sie das nicht?" for a first password.
    assert len(outbox_with(1)) == 1

    response = client.post(
        reverse("account_login"), {"login": person.email, "password": NEW_PASSWORD}
    )
    assert response.url == reverse("home")
    # The link does not work twice.
    client.logout()
    response = client.get(link_in(invitation), follow=True)
    assert "ungültig" in response.text.lower() or "abgelaufen" in response.text.lower()


def test_an_invitation_needs_an_address_nobody_has(office):
    existing = UserFactory(email="da@musterdorf.example")
    EmailAddress.objects.create(user=existing, email="zweite@musterdorf.example", verified=True)
    for taken in ["DA@musterdorf.example", "Zweite@musterdorf.example"]:
        response = invite(office, existing.partner, email=taken)
        assert response.status_code == 200
        assert "gehört schon zu einem Konto" in response.text
    assert User.objects.filter(email__iexact="zweite@musterdorf.example").count() == 0


def test_a_corrected_address_leaves_no_way_in_through_the_old_one(office, outbox_with, client):
    partner = PartnerFactory()
    invite(office, partner, email="tpyo@musterdorf.example")
    outbox_with(1)
    person = User.objects.get(email="tpyo@musterdorf.example")
    response = office.post(
        reverse("admin:partners_user_change", args=[person.pk]),
        {
            "email": "richtig@musterdorf.example",
            "name": person.name,
            "partner": partner.pk,
            "role": "staff",
            "is_active": "on",
            "date_joined_0": "01.01.2026",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "verified")) == [
        ("richtig@musterdorf.example", False)
    ]
    # "Passwort vergessen" for the old address sends nothing that opens the account.
    outbox = outbox_with(1)
    client.post(reverse("account_reset_password"), {"email": "tpyo@musterdorf.example"})
    later = outbox_with(2)
    assert all("/konto/password/reset/key/" not in m.body for m in later[len(outbox) :])
    # Inviting again goes to the right address.
    office.post(
        reverse("admin:partners_user_changelist"),
        {"action": "invite_again", "_selected_action": [person.pk]},
    )
    assert outbox_with(3)[-1].to == ["richtig@musterdorf.example"]


def test_the_office_sends_an_invitation_again_only_to_people_without_password(office, outbox_with):
    partner = PartnerFactory()
    invite(office, partner)
    outbox_with(1)
    invited = User.objects.get(email="neue.kollegin@ganz-anders.example")
    with_password = UserFactory(partner=partner)
    response = office.post(
        reverse("admin:partners_user_changelist"),
        {"action": "invite_again", "_selected_action": [invited.pk, with_password.pk]},
        follow=True,
    )
    assert "1 Einladung(en) gesendet" in response.text
    assert "1 Person(en) ausgelassen" in response.text
    outbox = outbox_with(2)
    assert [message.to for message in outbox] == [[invited.email], [invited.email]]
