import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from initiatives.models import Area
from kooperation.demo import DEMO_PASSWORD, demo_accounts, load_demo_data
from partners.models import EmailDomain, Partner, User

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "partners": list(
            Partner.objects.values_list(
                "slug", "name", "kind", "official_key", "status", "joined_on"
            )
        ),
        "people": list(
            User.objects.values_list(
                "email", "name", "job_title", "partner__slug", "role", "password"
            )
        ),
        "domains": list(EmailDomain.objects.values_list("domain", "partner__slug")),
        "areas": list(Area.objects.values_list("slug", "name", "position")),
        "addresses": list(EmailAddress.objects.values_list("email", "verified", "primary")),
    }


def test_demo_data_has_the_four_partners_with_their_department_heads():
    load_demo_data()

    partners = {p.slug: p for p in Partner.objects.all()}
    assert {slug: p.official_key for slug, p in partners.items()} == {
        "braunschweig": "03101000",
        "salzgitter": "03102000",
        "wolfsburg": "03103000",
        "gifhorn": "03151",
    }
    heads = {u.partner.slug: u.name for u in User.objects.filter(role=User.Role.DEPARTMENT_HEAD)}
    assert heads == {
        "braunschweig": "Dr. Thorsten Kornblum",
        "salzgitter": "Jan Erik Bohling",
        "wolfsburg": "Dennis Weilmann",
        "gifhorn": "Dr. Thomas Walter",
    }
    assert list(Area.objects.values_list("name", flat=True)) == [
        "Basisdienste",
        "Online-Dienste",
        "Fachverfahren",
        "Schnittstellen",
    ]
    for email, _description in demo_accounts():
        person = User.objects.get(email=email)
        assert person.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(email=email).verified
        person.full_clean()
    admin = User.objects.get(email="admin@demo.example")
    assert admin.is_superuser
    assert admin.partner is None


def test_loading_twice_changes_nothing():
    load_demo_data()
    first = snapshot()
    load_demo_data()
    assert snapshot() == first


def test_command_prints_the_demo_logins(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "dezernat.braunschweig@demo.example" in out
    assert "team.gifhorn@demo.example" in out
    assert DEMO_PASSWORD in out


def test_demo_agreement_is_the_version_with_gifhorn_in_force():
    from partners.models import AgreementVersion

    load_demo_data()
    letter, accession = AgreementVersion.objects.order_by("pk")
    assert letter.status == AgreementVersion.Status.SUPERSEDED
    assert accession.status == AgreementVersion.Status.IN_FORCE
    assert accession.previous == letter
    assert sorted(letter.parties.values_list("partner__slug", flat=True)) == [
        "braunschweig",
        "salzgitter",
        "wolfsburg",
    ]
    signatures = dict(accession.parties.values_list("partner__slug", "signatory_name"))
    assert signatures["gifhorn"] == "Dr. Thomas Walter"
    assert all(party.has_signed for party in accession.parties.all())
    for field in ("Basisdienste", "Online-Dienste", "Fachverfahren", "Schnittstellen"):
        assert field in accession.text
