"""An address belongs to the account it was given to (at sign-up or by the office) or that
confirmed it. Typing someone else's address into one's own account gains nothing: it blocks
neither the office's invitation nor the owner's sign-up, and "Passwort vergessen" for it never
mails a link for the squatter's account."""

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from partners.models import User
from tests.factories import AdminFactory, EmailDomainFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = "neu.kollegin@adorf.example"
PASSWORD = "ein-langes-passwort-7"


def confirm_path(message):
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)
    return urlparse(link).path


@pytest.fixture
def adorf():
    partner = PartnerFactory(name="Stadt Adorf")
    EmailDomainFactory(partner=partner, domain="adorf.example")
    return partner


@pytest.fixture
def squatter(client, adorf, celery_worker):
    """A signed-in colleague who typed the newcomer's address into their own account."""
    person = UserFactory(partner=adorf, email="frueh@adorf.example")
    client.force_login(person)
    response = client.post(reverse("account_email"), {"email": VICTIM, "action_add": ""})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=person, email=VICTIM, verified=False).exists()
    client.logout()
    return person


def test_the_office_invites_an_address_another_account_only_typed_in(client, squatter, adorf):
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:partners_user_add"),
        {"email": VICTIM, "name": "Nora Neu", "partner": adorf.pk, "role": "staff"},
    )
    assert response.status_code == 302, response.text
    assert User.objects.filter(email=VICTIM).exclude(pk=squatter.pk).exists()


def test_the_owner_signs_up_although_another_account_lists_the_address(
    client, squatter, outbox_with
):
    response = client.post(
        reverse("account_signup"),
        {"name": "Nora Neu", "email": VICTIM, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    owner = User.objects.get(email=VICTIM)
    squatters_link, owners_link = [confirm_path(message) for message in outbox_with(2)]
    # The link sent when the squatter typed the address in confirms nothing any more.
    assert client.post(squatters_link).status_code in (200, 302, 404)
    squatter.refresh_from_db()
    assert squatter.email == "frueh@adorf.example"
    assert not EmailAddress.objects.filter(user=squatter, email=VICTIM).exists()
    client.post(owners_link)
    assert EmailAddress.objects.get(user=owner, email=VICTIM).verified
    # The squatter's copy is gone; their own address stays.
    assert list(EmailAddress.objects.filter(user=squatter).values_list("email", flat=True)) == [
        squatter.email
    ]


def test_a_password_reset_never_goes_out_for_the_squatters_account(client, squatter, outbox_with):
    client.post(reverse("account_reset_password"), {"email": VICTIM})
    _squatters_confirmation, message = outbox_with(2)
    assert message.to == [VICTIM]
    assert "/konto/password/reset/key/" not in message.body
    assert "kein Konto" in message.body


def test_a_password_reset_still_reaches_an_invited_person_without_a_confirmed_address(
    client, adorf, outbox_with
):
    invited = UserFactory(partner=adorf, email="eingeladen@adorf.example", verified_email=False)
    EmailAddress.objects.create(user=invited, email=invited.email, primary=True, verified=False)
    client.post(reverse("account_reset_password"), {"email": invited.email})
    [message] = outbox_with(1)
    assert "/konto/password/reset/key/" in message.body


def test_an_account_holds_one_address_a_new_one_replaces_the_old_once_confirmed(
    client, adorf, outbox_with
):
    person = UserFactory(partner=adorf, email="alt@adorf.example")
    client.force_login(person)
    for new in ["eins@adorf.example", "zwei@adorf.example"]:
        client.post(reverse("account_email"), {"email": new, "action_add": ""})
    pending = EmailAddress.objects.filter(user=person, verified=False)
    assert list(pending.values_list("email", flat=True)) == ["zwei@adorf.example"]
    *_, confirmation = outbox_with(2)
    client.post(confirm_path(confirmation))
    person.refresh_from_db()
    assert person.email == "zwei@adorf.example"
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) == [
        "zwei@adorf.example"
    ]


def test_an_address_the_office_corrects_to_is_claimed_from_squatters(client, squatter, adorf):
    person = UserFactory(partner=adorf, email="tippfehler@adorf.example")
    client.force_login(AdminFactory())
    change = reverse("admin:partners_user_change", args=[person.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(email=VICTIM, partner=adorf.pk, role="staff", requested_role="")
    response = client.post(change, data)
    assert response.status_code == 302, response.text[:2000]
    assert not EmailAddress.objects.filter(user=squatter, email=VICTIM).exists()


def test_an_unconfirmed_sign_up_holding_the_address_is_named_to_the_office(client, adorf):
    client.post(
        reverse("account_signup"),
        {"name": "Fremd", "email": VICTIM, "password1": PASSWORD, "password2": PASSWORD},
    )
    squatting = User.objects.get(email=VICTIM)
    client.force_login(AdminFactory())
    invite = {"email": VICTIM, "name": "Nora Neu", "partner": adorf.pk, "role": "staff"}
    response = client.post(reverse("admin:partners_user_add"), invite)
    assert "ohne sie je zu bestätigen (Konto „Fremd“)" in response.text
    squatting.delete()
    assert client.post(reverse("admin:partners_user_add"), invite).status_code == 302
    assert User.objects.get(email=VICTIM).name == "Nora Neu"
