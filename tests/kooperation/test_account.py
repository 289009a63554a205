"""The account page: name and function to edit, partner and role to read, and the way to
everything else about the account."""

import pytest
from django.urls import reverse

from initiatives.models import Area
from kooperation.models import DigestSetting
from tests.factories import DepartmentHeadFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(client):
    person = DepartmentHeadFactory(
        partner=PartnerFactory(name="Stadt Musterstadt"), name="Erika Muster"
    )
    client.force_login(person)
    return person


def test_the_page_shows_the_person_and_links_every_part_of_the_account(client, head):
    response = client.get(reverse("account"))
    assert response.status_code == 200
    text = response.text
    assert 'value="Erika Muster"' in text
    assert "Stadt Musterstadt" in text
    assert "Dezernent:in" in text
    assert head.email in text
    assert "nicht eingerichtet" in text
    assert "Täglich – alle Handlungsfelder" in text
    for name in [
        "account_email",
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "digest_settings",
        "personal_data",
    ]:
        assert f'href="{reverse(name)}"' in text, name


def test_the_digest_choice_is_shown_as_set(client, head):
    setting = DigestSetting.objects.create(user=head, frequency="weekly")
    setting.areas.set([Area.objects.get_or_create(name="Basisdienste")[0]])
    assert "Wöchentlich – Basisdienste" in client.get(reverse("account")).text


def test_name_and_function_change_but_partner_and_role_do_not(client, head):
    other = PartnerFactory()
    response = client.post(
        reverse("account"),
        {
            "name": "Erika Muster-Neu",
            "job_title": "Stadträtin",
            "partner": other.pk,
            "role": "staff",
            "is_staff": "on",
        },
        follow=True,
    )
    assert "Ihre Angaben sind gespeichert" in response.text
    head.refresh_from_db()
    assert (head.name, head.job_title) == ("Erika Muster-Neu", "Stadträtin")
    assert (head.partner.name, head.role, head.is_staff) == (
        "Stadt Musterstadt",
        "department_head",
        False,
    )


def test_an_empty_name_is_explained_and_nothing_is_saved(client, head):
    response = client.post(reverse("account"), {"name": "  ", "job_title": "Neu"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.text
    head.refresh_from_db()
    assert head.name == "Erika Muster"


def test_the_page_runs_a_fixed_number_of_queries(client, head, django_assert_max_num_queries):
    # 11: the link of the person's feed (issue 19)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("account")).status_code == 200
