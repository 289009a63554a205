"""The navigation offers the applications to join exactly to those the view lets in: the
template asks partners.permissions.can_see_applications, it does not restate the rule."""

import pytest
from django.urls import reverse

from partners.models import Partner
from tests.factories import AdminFactory, DepartmentHeadFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = {
    "staff": lambda: UserFactory(),
    "department_head": lambda: DepartmentHeadFactory(),
    "head_of_former_partner": lambda: DepartmentHeadFactory(
        partner=PartnerFactory(status=Partner.Status.FORMER)
    ),
    "office_admin": lambda: UserFactory(partner=None, is_staff=True),
    "superuser": lambda: AdminFactory(),
}


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("staff", False),
        ("department_head", True),
        ("head_of_former_partner", False),
        ("office_admin", True),
        ("superuser", True),
    ],
)
def test_the_applications_link_shows_exactly_where_the_list_opens(client, who, sees_link):
    client.force_login(PEOPLE[who]())
    list_url = reverse("partners:application_list")
    page = client.get(reverse("partners:partner_list"))
    assert page.status_code == 200
    assert (f'href="{list_url}"' in page.text) is sees_link
    assert (client.get(list_url).status_code == 200) is sees_link
