"""A new partner's staff can sign up: the application names the e-mail domains, admission
records them unconfirmed, the office confirms them (issue 18, item 4)."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import Application, EmailDomain, Partner
from tests.factories import (
    AdminFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    application_data,
    confirmed_application,
)

pytestmark = pytest.mark.django_db


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "name": "Hanna Helmstedt",
            "email": email,
            "password1": "ein-langes-passwort-7",
            "password2": "ein-langes-passwort-7",
        },
    )


def form_data(client, **changes):
    page = client.get(reverse("partners:application_create"))
    return {
        **application_data(**changes),
        "homepage": "",
        "started": page.context["form"].initial["started"],
    }


def test_the_application_asks_for_the_domains_and_keeps_them_tidy(client):
    page = client.get(reverse("partners:application_create")).text
    assert "E-Mail-Domains" in page
    response = client.post(
        reverse("partners:application_create"), form_data(client, email_domains="")
    )
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    response = client.post(
        reverse("partners:application_create"), form_data(client, email_domains="kein domain")
    )
    assert "„kein“ ist keine E-Mail-Domain" in response.text
    assert not Application.objects.exists()

    data = form_data(client, email_domains="@Helmstedt.de; landkreis-helmstedt.de, helmstedt.de")
    assert client.post(reverse("partners:application_create"), data).status_code == 302
    assert Application.objects.get().email_domains == "helmstedt.de, landkreis-helmstedt.de"


def test_staff_sign_up_once_the_office_confirmed_the_domains_of_the_admission(
    client, sent_mail, settings
):
    settings.MANAGERS = [("Geschäftsstelle", "office@kooperation.example")]
    head = DepartmentHeadFactory(partner=PartnerFactory())
    application = confirmed_application(
        name="Landkreis Helmstedt",
        kind="landkreis",
        official_key="03154",
        email_domains="helmstedt.example, schoeningen.example",
    )
    taken = PartnerFactory(name="Stadt Schöningen")  # joined meanwhile: not in the electorate
    EmailDomain.objects.create(partner=taken, domain="schoeningen.example")
    services.application_vote(application=application, voter=head, approve=True)
    helmstedt = Partner.objects.get(name="Landkreis Helmstedt")

    # Recorded unconfirmed; a domain another partner has stays that partner's.
    assert list(helmstedt.email_domains.values_list("domain", "confirmed")) == [
        ("helmstedt.example", False)
    ]
    assert EmailDomain.objects.get(domain="schoeningen.example").partner == taken
    # The office is asked to check them.
    office = next(m for m in sent_mail() if m.to == ["office@kooperation.example"])
    assert "Landkreis Helmstedt ist aufgenommen – bitte E-Mail-Domains bestätigen" in office.subject
    assert "- helmstedt.example" in office.body
    assert f"/verwaltung/partners/partner/{helmstedt.pk}/change/" in office.body

    # Until then nobody signs up with them.
    response = sign_up(client, "hanna@helmstedt.example")
    assert "Mit dieser Adresse ist keine Registrierung möglich" in response.text

    # The office finds the partner and confirms its domains in the admin.
    client.force_login(AdminFactory())
    changelist = reverse("admin:partners_partner_changelist")
    listed = client.get(changelist, {"domains": "unconfirmed"})
    assert [p.name for p in listed.context["cl"].result_list] == ["Landkreis Helmstedt"]
    response = client.post(
        changelist,
        {"action": "confirm_email_domains", "_selected_action": [helmstedt.pk]},
        follow=True,
    )
    assert "1 E-Mail-Domains bestätigt" in response.text
    client.logout()

    response = sign_up(client, "hanna@helmstedt.example")
    assert response.status_code == 302
    assert helmstedt.people.filter(email="hanna@helmstedt.example").exists()
