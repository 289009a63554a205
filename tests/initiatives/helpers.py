"""What the view tests of initiatives share: addresses, response text, a snapshot of
everything an action could change, and the worlds the tests act in (as fixtures in conftest)."""

import datetime
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from partners.models import Partner
from tests.factories import (
    AdminFactory,
    AreaFactory,
    DepartmentHeadFactory,
    InitiativeFactory,
    ParticipationFactory,
    PartnerFactory,
    UserFactory,
    propose,
)

Status = Initiative.Status
Stage = Participation.Stage


def login_url() -> str:
    return reverse("account_login")


def url(name, *args) -> str:
    return reverse(f"initiatives:{name}", args=args)


def body_of(response) -> str:
    """The text of a normal or streaming response."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def titles(response) -> list[str]:
    return [initiative.title for initiative in response.context["initiatives"]]


def snapshot():
    """Everything an action of the app could change."""
    return (
        list(
            Initiative.objects.order_by("pk").values_list(
                "pk", "title", "summary", "status", "last_activity_at"
            )
        ),
        list(Participation.objects.order_by("pk").values_list("pk", "partner", "stage")),
        list(Follow.objects.order_by("pk").values_list("initiative", "user")),
        list(Comment.objects.order_by("pk").values_list("pk", "body", "edited_at")),
        list(Solution.objects.order_by("pk").values_list("pk", "product", "vendor", "notes")),
        InitiativeEvent.objects.count(),
    )


def initiative_data(world, title):
    return {
        "title": title,
        "summary": "Kurz gesagt.",
        "description": "Ausführlich.",
        "area": world.area.pk,
        "ozg_reference": "",
        "target_date": "",
    }


def build_world():
    """Two member partners A and B (staff and department head each), a third member C, the
    office, and a former partner; a proposal of A's staff, an active initiative led by A, an
    initiative of C, a comment of A's staff and a solution of A."""
    area = AreaFactory(name="Basisdienste", slug="basisdienste")
    partner_a = PartnerFactory(name="Stadt Aheim", slug="aheim")
    partner_b = PartnerFactory(name="Stadt Behausen", slug="behausen")
    partner_c = PartnerFactory(name="Gemeinde Cedorf", slug="cedorf")
    former = PartnerFactory(
        name="Gemeinde Altdorf",
        slug="altdorf",
        status=Partner.Status.FORMER,
        left_on=datetime.date(2024, 6, 30),
    )
    people = {
        "staff_a": UserFactory(partner=partner_a, name="Anna Arndt"),
        "staff_b": UserFactory(partner=partner_b, name="Bernd Bauer"),
        "head_a": DepartmentHeadFactory(partner=partner_a, name="Dr. Asta Amsel"),
        "head_b": DepartmentHeadFactory(partner=partner_b, name="Dr. Bodo Brandt"),
        "admin": AdminFactory(name="Gabi Geschäftsstelle"),
        "former": UserFactory(partner=former, name="Fritz Früher"),
    }
    staff_c = UserFactory(partner=partner_c, name="Clara Cordes")
    proposal = propose(
        people["staff_a"],
        area,
        title="Digitale Meldebescheinigung",
        description="Wir bauen den Dienst **gemeinsam**.",
    )
    active = propose(people["head_a"], area, title="Gemeinsames Servicekonto")
    services.participation_set(initiative=active, actor=people["head_a"], stage=Stage.COMMITTED)
    services.participation_set(initiative=active, actor=people["head_b"], stage=Stage.COMMITTED)
    assert Initiative.objects.get(pk=active.pk).status == Status.ACTIVE
    plain = propose(staff_c, area, title="Offene Daten veröffentlichen")
    comment = services.comment_add(
        initiative=plain, author=people["staff_a"], body="Wir sind dabei."
    )
    solution = services.solution_record(
        recorded_by=people["staff_a"], area=area, product="OK.EWO", vendor="Dataport"
    )
    return SimpleNamespace(
        area=area,
        partner_a=partner_a,
        partner_b=partner_b,
        partner_c=partner_c,
        former=former,
        people=people,
        staff_c=staff_c,
        proposal=proposal,
        active=active,
        plain=plain,
        comment=comment,
        solution=solution,
    )


def build_catalogue():
    """Five initiatives in two fields of work, led by three partners, in every status."""
    basis = AreaFactory(name="Basisdienste", slug="basisdienste", position=1)
    schnitt = AreaFactory(name="Schnittstellen", slug="schnittstellen", position=2)
    a = PartnerFactory(name="Stadt Aheim", slug="aheim")
    b = PartnerFactory(name="Stadt Behausen", slug="behausen")
    c = PartnerFactory(name="Gemeinde Cedorf", slug="cedorf")
    now = timezone.now()

    def make(title, area, lead, status, created, active, ozg="", description="Ohne Details."):
        return InitiativeFactory(
            title=title,
            summary="Eine Zusammenfassung.",
            description=description,
            area=area,
            proposer=UserFactory(partner=lead),
            status=status,
            ozg_reference=ozg,
            created_at=now - datetime.timedelta(days=created),
            last_activity_at=now - datetime.timedelta(days=active),
        )

    wohngeld = make("Antrag auf Wohngeld", basis, a, Status.PROPOSED, 5, 1, ozg="Wohngeld")
    konto = make("Bürgerkonto einführen", basis, b, Status.ACTIVE, 4, 3)
    xoev = make(
        "XÖV-Schnittstelle Meldewesen", schnitt, a, Status.PAUSED, 3, 2, ozg="99115001000000"
    )
    akte = make(
        "Zentrale E-Akte",
        schnitt,
        c,
        Status.COMPLETED,
        2,
        4,
        description="Auch das Meldewesen soll die Akte nutzen.",
    )
    fax = make("Altes Faxverfahren ablösen", basis, c, Status.WITHDRAWN, 1, 5)
    ParticipationFactory(initiative=wohngeld, partner=a, stage=Stage.INTERESTED)
    ParticipationFactory(initiative=wohngeld, partner=b, stage=Stage.COMMITTED)
    ParticipationFactory(initiative=konto, partner=b, stage=Stage.COMMITTED)
    ParticipationFactory(initiative=konto, partner=c, stage=Stage.DECLINED)
    ParticipationFactory(initiative=xoev, partner=a, stage=Stage.INTERESTED)
    ParticipationFactory(initiative=akte, partner=c, stage=Stage.ADOPTED)
    ParticipationFactory(initiative=akte, partner=a, stage=Stage.DECLINED)
    return SimpleNamespace(
        basis=basis,
        schnitt=schnitt,
        a=a,
        b=b,
        c=c,
        wohngeld=wohngeld,
        konto=konto,
        xoev=xoev,
        akte=akte,
        fax=fax,
        viewer=UserFactory(partner=a),
    )
