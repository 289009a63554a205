import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Partner
from tests.factories import AreaFactory, DepartmentHeadFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_home_lists_member_partners_and_fields_of_work(client):
    PartnerFactory(name="Stadt Braunschweig")
    PartnerFactory(name="Stadt Altstadt", status=Partner.Status.FORMER, left_on="2024-01-01")
    AreaFactory(name="Schnittstellen")

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Stadt Braunschweig" in response.text
    assert "Stadt Altstadt" not in response.text
    assert "Schnittstellen" in response.text


def test_home_without_partners_says_so(client):
    response = client.get(reverse("home"))
    assert "Noch sind keine Partner eingetragen." in response.text
    assert "Noch sind keine Arbeitsfelder eingetragen." in response.text


@pytest.mark.parametrize("count", [2, 200])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    PartnerFactory.create_batch(count)
    AreaFactory.create_batch(4)
    # partners, their heads, fields of work; with more than twelve partners their number
    with django_assert_max_num_queries(4):
        response = client.get(reverse("home"))
    shown = response.text.count('class="kern-card"') - 4
    assert shown == min(count, 12)
    if count > 12:
        assert f"und {count - 12} weitere, {count} Partner insgesamt" in response.text


def test_about_signed_in_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    PartnerFactory.create_batch(50)
    client.force_login(DepartmentHeadFactory())
    client.get(reverse("about"))  # the first request of a session notes its sign-in time
    # session, person with partner, partners, their heads, fields of work, number of partners
    with django_assert_num_queries(6):
        response = client.get(reverse("about"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("imprint", "Impressum"),
        ("privacy", "Datenschutzerklärung"),
        ("accessibility", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_legal_pages_are_public_and_linked_from_every_page(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading in response.text
    assert "noch nicht eingetragen" in response.text  # honest about being a template
    home = client.get(reverse("home")).text
    assert f'href="{reverse(name)}"' in home


def test_unknown_address_answers_a_german_404(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


def test_server_error_page_is_german_and_needs_no_database(client):
    from django.views.defaults import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()


def test_security_headers_are_set(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_sign_out_needs_post_and_csrf(department_head):
    client = Client(enforce_csrf_checks=True)
    client.force_login(department_head)

    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session  # a GET shows a confirmation page, nothing more

    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in client.session
