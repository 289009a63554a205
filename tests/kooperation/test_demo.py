import datetime
import importlib.util
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from initiatives.common_ground import common_ground
from initiatives.models import Area, Comment, Initiative, InitiativeEvent, Participation, Solution
from kooperation.devdata.demo import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    PARTNERS,
    demo_accounts,
    load_demo_data,
)
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
        "initiatives": list(
            Initiative.objects.order_by("pk").values_list(
                "title", "status", "lead_partner__slug", "created_at", "last_activity_at"
            )
        ),
        "participations": list(
            Participation.objects.order_by("pk").values_list(
                "initiative__title", "partner__slug", "stage", "changed_at"
            )
        ),
        "events": list(InitiativeEvent.objects.order_by("pk").values_list("kind", "created_at")),
        "comments": list(Comment.objects.order_by("pk").values_list("body", "created_at")),
        "solutions": list(
            Solution.objects.order_by("pk").values_list("partner__slug", "area__slug", "product")
        ),
    }


def test_demo_data_has_the_four_partners_with_their_department_heads():
    load_demo_data()

    partners = {p.slug: p for p in Partner.objects.all()}
    # Stored as their Kreisschlüssel (official_keys.canonical); the cities show their AGS.
    assert {slug: p.official_key for slug, p in partners.items()} == {
        "braunschweig": "03101",
        "salzgitter": "03102",
        "wolfsburg": "03103",
        "gifhorn": "03151",
    }
    assert partners["braunschweig"].official_key_shown == "03101000"
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


def test_demo_initiatives_show_every_state_stage_and_field():
    load_demo_data()

    initiatives = Initiative.objects.all()
    assert 10 <= len(initiatives) <= 15
    assert {i.status for i in initiatives} == set(Initiative.Status.values)
    assert {i.area.slug for i in initiatives} == set(Area.objects.values_list("slug", flat=True))
    assert set(Participation.objects.values_list("stage", flat=True)) == set(
        Participation.Stage.values
    )
    assert Comment.objects.count() >= 10
    assert initiatives.exclude(ozg_reference="").count() >= 3
    # Active and completed ones got there through the workflow: at least two commitments each.
    for initiative in initiatives.filter(status__in=["active", "paused", "completed"]):
        taking_part = initiative.participations.filter(stage__in=["committed", "adopted"])
        assert taking_part.count() >= 2, initiative.title
        assert initiative.events.filter(kind=InitiativeEvent.Kind.ACTIVATED).exists()
    # The history is spread over time, with activity in the past week for the weekly digest.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert InitiativeEvent.objects.filter(created_at__gte=week_ago).exists()
    assert InitiativeEvent.objects.filter(created_at__lt=week_ago).exists()
    for initiative in initiatives:
        assert initiative.created_at <= initiative.last_activity_at <= timezone.now()
        kinds = list(initiative.events.values_list("kind", flat=True))
        assert kinds[0] == InitiativeEvent.Kind.PROPOSED, initiative.title


def test_demo_solutions_give_common_ground_in_every_field():
    load_demo_data()

    ground = common_ground(Partner.objects.filter(status=Partner.Status.MEMBER))
    assert all(ground.shared[area.pk] for area in Area.objects.all())
    products = {entry.product for entries in ground.shared.values() for entry in entries}
    assert {"ePayBL", "OK.EWO", "XBau"} <= products


@pytest.mark.parametrize("email", [email for email, _description in demo_accounts()])
def test_every_demo_page_of_the_initiatives_opens_for_every_demo_person(client, email):
    load_demo_data()
    client.force_login(User.objects.get(email=email))
    pages = [
        reverse("initiatives:initiative_list"),
        reverse("initiatives:common_ground"),
        *(
            reverse("initiatives:initiative_detail", args=[pk])
            for pk in Initiative.objects.values_list("pk", flat=True)
        ),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_the_demo_people_get_german_digests():
    load_demo_data()
    call_command("send_digests", "--frequency", "weekly")
    weekly = {message.to[0]: message for message in mail.outbox}
    staff = {f"team.{demo.slug}@demo.example" for demo in PARTNERS}
    assert set(weekly) == staff | {ADMIN_EMAIL}
    salzgitter = weekly["team.salzgitter@demo.example"]
    assert salzgitter.subject.startswith("[Kooperationsportal] Ihre wöchentliche Zusammenfassung")
    assert "Guten Tag" in salzgitter.body
    assert "Landkreis Gifhorn setzt im Arbeitsfeld Online-Dienste „NAVO“ ein." in salzgitter.body

    call_command("send_digests", "--frequency", "daily")
    # Today's news: Gifhorn and Salzgitter both run NAVO now, and Salzgitter asked the others
    # to co-sign a position today. Every head hears of it, with what awaits their decision
    # first – for Gifhorn, the co-signature first of all.
    heads = {m.to[0]: m for m in mail.outbox if m.to[0].startswith("dezernat.")}
    assert set(heads) == {f"dezernat.{demo.slug}@demo.example" for demo in PARTNERS}
    body = heads["dezernat.gifhorn@demo.example"].body
    assert body.index("Wartet auf Ihre Entscheidung") < body.index("NAVO")
    assert body.index("Wartet auf Ihre Mitzeichnung") < body.index("Ihre Zusage oder Absage")


def test_demo_and_benchmark_data_live_apart_from_the_code_the_portal_runs():
    root = Path(__file__).resolve().parents[2]
    for old in ["demo", "demo_initiatives", "scale"]:
        assert importlib.util.find_spec(f"kooperation.{old}") is None
        assert importlib.util.find_spec(f"kooperation.devdata.{old}") is not None
    # Only the management commands that load the data reach into it.
    importers = {
        path.relative_to(root).as_posix()
        for app in ["kooperation", "partners", "initiatives"]
        for path in (root / app).rglob("*.py")
        if "devdata" not in path.parts and "devdata" in path.read_text(encoding="utf-8")
    }
    assert importers == {
        "kooperation/management/commands/load_demo_data.py",
        "kooperation/management/commands/seed_scale.py",
    }
