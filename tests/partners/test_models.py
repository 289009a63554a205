import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partners.models import EmailDomain, Partner, User
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_official_key_is_unique():
    PartnerFactory(official_key="03101000")
    with pytest.raises(IntegrityError):
        PartnerFactory(official_key="03101000")


def test_partner_with_an_invalid_key_fails_validation():
    partner = PartnerFactory.build(official_key="1234")
    with pytest.raises(ValidationError) as caught:
        partner.full_clean()
    assert "official_key" in caught.value.message_dict


def test_only_a_former_partner_has_a_leaving_date():
    partner = PartnerFactory()
    partner.left_on = partner.joined_on
    with pytest.raises(IntegrityError):
        partner.save()


def test_members_excludes_former_partners():
    member = PartnerFactory()
    PartnerFactory(status=Partner.Status.FORMER)
    assert list(Partner.objects.members()) == [member]


def test_email_domains_are_unique_whatever_the_case(partner):
    EmailDomain.objects.create(partner=partner, domain="braunschweig.de")
    with pytest.raises(IntegrityError):
        EmailDomain.objects.create(partner=PartnerFactory(), domain="Braunschweig.DE")


def test_email_domain_is_normalised_and_validated(partner):
    domain = EmailDomain(partner=partner, domain=" @Stadt.Wolfsburg.de ")
    domain.full_clean()
    assert domain.domain == "stadt.wolfsburg.de"
    with pytest.raises(ValidationError):
        EmailDomain(partner=partner, domain="kein domain").full_clean()


def test_person_without_partner_must_belong_to_the_office():
    with pytest.raises(ValidationError) as caught:
        User(email="a@example.org", name="A", role=User.Role.STAFF).full_clean()
    assert "partner" in caught.value.message_dict
    with pytest.raises(IntegrityError):
        User.objects.create_user("b@example.org", "geheim-geheim-1", name="B")


def test_department_head_needs_a_partner():
    with pytest.raises(ValidationError) as caught:
        User(
            email="a@example.org", name="A", role=User.Role.DEPARTMENT_HEAD, is_staff=True
        ).full_clean()
    assert "partner" in caught.value.message_dict


def test_email_is_unique_whatever_the_case():
    UserFactory(email="anna@example.org")
    with pytest.raises(IntegrityError):
        UserFactory(email="Anna@Example.org")


def test_superuser_of_the_office_needs_no_partner():
    admin = User.objects.create_superuser("Office@Example.org", "geheim-geheim-1", name="Büro")
    assert admin.email == "office@example.org"
    assert admin.partner is None
    assert admin.is_staff
    assert admin.is_superuser


def test_department_head_flag(department_head, staff):
    assert department_head.is_department_head
    assert not staff.is_department_head
