"""The cooperation's office manages partners and people in the Django admin."""

import pytest
from django.urls import reverse

from partners.models import EmailDomain, Partner, User
from tests.factories import (
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    confirmed_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, office_admin):
    client.force_login(office_admin)
    return client


def test_partner_list_search_and_filter(admin_client):
    PartnerFactory(name="Stadt Braunschweig", official_key="03101000")
    PartnerFactory(name="Stadt Wolfsburg", official_key="03103000", status=Partner.Status.FORMER)
    url = reverse("admin:partners_partner_changelist")

    response = admin_client.get(url, {"q": "03101000"})
    assert response.status_code == 200
    assert "Stadt Braunschweig" in response.text
    assert "Stadt Wolfsburg" not in response.text

    response = admin_client.get(url, {"status__exact": "former"})
    assert "Stadt Wolfsburg" in response.text
    assert "Stadt Braunschweig" not in response.text


def test_partner_change_page_shows_domains_and_people(admin_client, partner):
    EmailDomain.objects.create(partner=partner, domain="musterdorf.example")
    head = DepartmentHeadFactory(partner=partner, name="Erika Mustermann")

    response = admin_client.get(reverse("admin:partners_partner_change", args=[partner.pk]))

    assert response.status_code == 200
    assert "musterdorf.example" in response.text
    assert head.name in response.text


def test_adding_a_partner_with_an_invalid_key_shows_the_reason(admin_client):
    response = admin_client.post(
        reverse("admin:partners_partner_add"),
        {
            "name": "Gemeinde Fehler",
            "slug": "fehler",
            "kind": "gemeinde",
            "official_key": "99999999",
            "status": "member",
            "email_domains-TOTAL_FORMS": "0",
            "email_domains-INITIAL_FORMS": "0",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Die ersten beiden Ziffern bezeichnen das Land" in response.text
    assert not Partner.objects.filter(slug="fehler").exists()


def test_admin_adds_a_department_head_to_a_partner(admin_client, partner):
    response = admin_client.post(
        reverse("admin:partners_user_add"),
        {
            "email": "neu@musterdorf.example",
            "name": "Neue Dezernentin",
            "job_title": "Dezernentin für Digitales",
            "partner": partner.pk,
            "role": "department_head",
            "usable_password": "true",
            "password1": "ein-langes-passwort-2026",
            "password2": "ein-langes-passwort-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="neu@musterdorf.example")
    assert person.partner == partner
    assert person.is_department_head


def test_admin_cannot_add_a_person_without_partner(admin_client):
    response = admin_client.post(
        reverse("admin:partners_user_add"),
        {
            "email": "ohne@example.org",
            "name": "Ohne Partner",
            "role": "staff",
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert "Jede Person gehört zu einem Partner" in response.text
    assert not User.objects.filter(email="ohne@example.org").exists()


def test_person_list_runs_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    for partner in PartnerFactory.create_batch(5):
        UserFactory.create_batch(10, partner=partner)
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:partners_user_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "staff", "department_head"])
def test_admin_is_closed_to_everyone_but_the_office(client, partner, role):
    if role != "anonymous":
        person = (UserFactory if role == "staff" else DepartmentHeadFactory)(partner=partner)
        client.force_login(person)
    response = client.get(reverse("admin:partners_partner_changelist"))
    assert response.status_code == 302
    assert "/verwaltung/login/" in response.url


def test_agreement_and_application_admin_pages_render(admin_client, partner):
    from tests.factories import AgreementVersionFactory

    version = AgreementVersionFactory(parties=[partner])
    DepartmentHeadFactory(partner=partner)
    application = confirmed_application(name="Gemeinde Neu", official_key="03151001")
    for url in (
        reverse("admin:partners_agreementversion_changelist"),
        reverse("admin:partners_agreementversion_change", args=[version.pk]),
        reverse("admin:partners_application_changelist"),
        reverse("admin:partners_application_change", args=[application.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(reverse("admin:partners_application_add")).status_code == 403


def test_admin_confirms_a_requested_department_head_role(admin_client, partner):
    person = UserFactory(partner=partner, requested_role=User.Role.DEPARTMENT_HEAD)
    response = admin_client.post(
        reverse("admin:partners_user_changelist"),
        {"action": "confirm_requested_role", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "1 Rolle(n) bestätigt." in response.text
    person.refresh_from_db()
    assert person.is_department_head
    assert person.requested_role == ""


@pytest.mark.parametrize(
    ("changelist", "lookup"),
    [
        ("admin:partners_partner_changelist", "joined_on__year"),
        ("admin:partners_application_changelist", "submitted_at__year"),
        ("admin:initiatives_initiative_changelist", "created_at__year"),
        ("admin:kooperation_digestdelivery_changelist", "created_at__year"),
    ],
)
def test_a_year_beyond_any_calendar_is_an_invalid_lookup_not_a_500(
    admin_client, changelist, lookup
):
    response = admin_client.get(reverse(changelist), {lookup: "9" * 40})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")
