"""The initiatives app end to end through the client: who may do what, finding and exporting,
proposing and deciding, discussing, the inventory of solutions, hostile input, and what each
page costs in queries."""

import csv
import datetime
import html
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.db import connection
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
    product_key,
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
)

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def world(db):
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
    proposal = services.initiative_propose(
        proposer=people["staff_a"],
        title="Digitale Meldebescheinigung",
        summary="Meldebescheinigungen online ausstellen.",
        description="Wir bauen den Dienst **gemeinsam**.",
        area=area,
    )
    active = services.initiative_propose(
        proposer=people["head_a"],
        title="Gemeinsames Servicekonto",
        summary="Ein Konto für alle Dienste.",
        description="Betrieb durch einen Partner.",
        area=area,
    )
    services.participation_set(initiative=active, actor=people["head_a"], stage=Stage.COMMITTED)
    services.participation_set(initiative=active, actor=people["head_b"], stage=Stage.COMMITTED)
    assert Initiative.objects.get(pk=active.pk).status == Status.ACTIVE
    plain = services.initiative_propose(
        proposer=staff_c,
        title="Offene Daten veröffentlichen",
        summary="Ein Open-Data-Portal für die Region.",
        description="Mit CKAN.",
        area=area,
    )
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


# Who may do what


def _initiative_data(world, title):
    return {
        "title": title,
        "summary": "Kurz gesagt.",
        "description": "Ausführlich.",
        "area": world.area.pk,
        "ozg_reference": "",
        "target_date": "",
    }


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    target: str | None = None  # attribute of the world whose pk the URL takes
    data: object = None  # world -> POST data
    effect: object = None  # world -> whether the action took place (POST only)


CASES = {
    "list": Case("initiative_list", "get"),
    "create": Case("initiative_create", "get"),
    "create_post": Case(
        "initiative_create",
        "post",
        data=lambda w: _initiative_data(w, "Neue Initiative aus dem Test"),
        effect=lambda w: Initiative.objects.filter(title="Neue Initiative aus dem Test").exists(),
    ),
    "export_csv": Case("initiative_export_csv", "get"),
    "export_json": Case("initiative_export_json", "get"),
    "detail": Case("initiative_detail", "get", "proposal"),
    "update": Case("initiative_update", "get", "proposal"),
    "update_post": Case(
        "initiative_update",
        "post",
        "proposal",
        data=lambda w: _initiative_data(w, "Geänderter Titel"),
        effect=lambda w: Initiative.objects.get(pk=w.proposal.pk).title == "Geänderter Titel",
    ),
    "withdraw": Case("initiative_withdraw", "get", "proposal"),
    "withdraw_post": Case(
        "initiative_withdraw",
        "post",
        "proposal",
        data=lambda w: {},
        effect=lambda w: Initiative.objects.get(pk=w.proposal.pk).status == Status.WITHDRAWN,
    ),
    "status": Case("initiative_status", "get", "active"),
    "status_post": Case(
        "initiative_status",
        "post",
        "active",
        data=lambda w: {"status": Status.PAUSED},
        effect=lambda w: Initiative.objects.get(pk=w.active.pk).status == Status.PAUSED,
    ),
    "participation": Case("participation", "get", "proposal"),
    "commit_post": Case(
        "participation",
        "post",
        "proposal",
        data=lambda w: {"stage": Stage.COMMITTED},
        effect=lambda w: w.proposal.participations.filter(stage=Stage.COMMITTED).exists(),
    ),
    "interest_post": Case(
        "participation",
        "post",
        "plain",
        data=lambda w: {"stage": Stage.INTERESTED},
        effect=lambda w: w.plain.participations.exclude(partner=w.partner_c).exists(),
    ),
    "follow": Case("follow", "get", "plain"),
    "follow_post": Case(
        "follow",
        "post",
        "plain",
        data=lambda w: {"follow": "1"},
        effect=lambda w: w.plain.follows.exclude(user=w.staff_c).exists(),
    ),
    "comment_create": Case("comment_create", "get", "plain"),
    "comment_create_post": Case(
        "comment_create",
        "post",
        "plain",
        data=lambda w: {"body": "Neuer Beitrag"},
        effect=lambda w: Comment.objects.filter(body="Neuer Beitrag").exists(),
    ),
    "comment_link": Case("comment_link", "get", "comment"),
    "comment_update": Case("comment_update", "get", "comment"),
    "comment_update_post": Case(
        "comment_update",
        "post",
        "comment",
        data=lambda w: {"body": "Geänderter Beitrag"},
        effect=lambda w: Comment.objects.get(pk=w.comment.pk).body == "Geänderter Beitrag",
    ),
    "comment_delete": Case("comment_delete", "get", "comment"),
    "comment_delete_post": Case(
        "comment_delete",
        "post",
        "comment",
        data=lambda w: {},
        effect=lambda w: not Comment.objects.filter(pk=w.comment.pk).exists(),
    ),
    "common_ground": Case("common_ground", "get"),
    "solution_list": Case("solution_list", "get"),
    "solution_create_post": Case(
        "solution_list",
        "post",
        data=lambda w: {"area": w.area.pk, "product": "Neues Produkt", "vendor": "", "notes": ""},
        effect=lambda w: Solution.objects.filter(product="Neues Produkt").exists(),
    ),
    "solution_update": Case("solution_update", "get", "solution"),
    "solution_update_post": Case(
        "solution_update",
        "post",
        "solution",
        data=lambda w: {"area": w.area.pk, "product": "OK.EWO Plus", "vendor": "", "notes": ""},
        effect=lambda w: Solution.objects.get(pk=w.solution.pk).product == "OK.EWO Plus",
    ),
    "solution_delete": Case("solution_delete", "get", "solution"),
    "solution_delete_post": Case(
        "solution_delete",
        "post",
        "solution",
        data=lambda w: {},
        effect=lambda w: not Solution.objects.filter(pk=w.solution.pk).exists(),
    ),
}

ROLES = ("anonymous", "staff_a", "staff_b", "head_a", "head_b", "admin", "former")

# The proposal is staff_a's, the active initiative is led by A, the comment is staff_a's and
# the solution is partner A's. 302 for "anonymous" is the way to the login page; 405: a POST-only
# action asked with GET.
# fmt: off
MATRIX = [
    # case                  anonym staff_a staff_b head_a head_b admin former
    ("list",                  302,   200,    200,    200,   200,   200,  403),
    ("create",                302,   200,    200,    200,   200,   403,  403),
    ("create_post",           302,   302,    302,    302,   302,   403,  403),
    ("export_csv",            302,   200,    200,    200,   200,   200,  403),
    ("export_json",           302,   200,    200,    200,   200,   200,  403),
    ("detail",                302,   200,    200,    200,   200,   200,  403),
    ("update",                302,   200,    403,    403,   403,   403,  403),
    ("update_post",           302,   302,    403,    403,   403,   403,  403),
    ("withdraw",              302,   200,    403,    403,   403,   403,  403),
    ("withdraw_post",         302,   302,    403,    403,   403,   403,  403),
    ("status",                302,   405,    405,    405,   405,   405,  403),
    ("status_post",           302,   403,    403,    302,   403,   403,  403),
    ("participation",         302,   405,    405,    405,   405,   405,  403),
    ("commit_post",           302,   403,    403,    302,   302,   403,  403),
    ("interest_post",         302,   302,    302,    302,   302,   403,  403),
    ("follow",                302,   405,    405,    405,   405,   405,  403),
    ("follow_post",           302,   302,    302,    302,   302,   302,  403),
    ("comment_create",        302,   405,    405,    405,   405,   405,  403),
    ("comment_create_post",   302,   302,    302,    302,   302,   302,  403),
    ("comment_link",          302,   302,    302,    302,   302,   302,  403),
    ("comment_update",        302,   200,    403,    403,   403,   403,  403),
    ("comment_update_post",   302,   302,    403,    403,   403,   403,  403),
    ("comment_delete",        302,   200,    403,    403,   403,   403,  403),
    ("comment_delete_post",   302,   302,    403,    403,   403,   403,  403),
    ("common_ground",         302,   200,    200,    200,   200,   200,  403),
    ("solution_list",         302,   200,    200,    200,   200,   403,  403),
    ("solution_create_post",  302,   302,    302,    302,   302,   403,  403),
    ("solution_update",       302,   200,    403,    200,   403,   403,  403),
    ("solution_update_post",  302,   302,    403,    302,   403,   403,  403),
    ("solution_delete",       302,   200,    403,    200,   403,   403,  403),
    ("solution_delete_post",  302,   302,    403,    302,   403,   403,  403),
]
# fmt: on


def test_the_matrix_covers_every_url_of_the_app():
    from initiatives.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {CASES[row[0]].url_name for row in MATRIX}
    assert {row[0] for row in MATRIX} == set(CASES)


@pytest.mark.parametrize(
    ("case", "role", "expected"),
    [
        pytest.param(case, role, status, id=f"{case}-{role}")
        for case, *statuses in MATRIX
        for role, status in zip(ROLES, statuses, strict=True)
    ],
)
def test_permission_matrix(client, world, case, role, expected):
    spec = CASES[case]
    args = [getattr(world, spec.target).pk] if spec.target else []
    if role != "anonymous":
        client.force_login(world.people[role])
    before = snapshot()

    response = getattr(client, spec.method)(
        url(spec.url_name, *args), spec.data(world) if spec.data else {}
    )

    assert response.status_code == expected
    to_login = response.status_code == 302 and response["Location"].startswith(login_url())
    assert to_login == (role == "anonymous")
    refused = role == "anonymous" or expected in (403, 405)
    if spec.method == "get" or refused:
        assert snapshot() == before
    if spec.method == "post":
        assert spec.effect(world) is not refused


@pytest.mark.parametrize("case", [case for case, spec in CASES.items() if spec.target is not None])
def test_unknown_ids_answer_404(client, world, case):
    spec = CASES[case]
    client.force_login(world.people["head_a"])
    before = snapshot()
    response = getattr(client, spec.method)(
        url(spec.url_name, 987654), spec.data(world) if spec.data else {}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_a_former_partner_learns_nothing_about_unknown_ids(client, world):
    client.force_login(world.people["former"])
    assert client.get(url("initiative_detail", 987654)).status_code == 403
    assert client.get(url("initiative_detail", world.proposal.pk)).status_code == 403


def test_staff_are_offered_interest_only_department_heads_everything(client, world):
    detail = url("initiative_detail", world.proposal.pk)
    client.force_login(world.people["staff_b"])
    response = client.get(detail)
    assert [stage for stage, _label in response.context["stage_actions"]] == [Stage.INTERESTED]
    assert "Beteiligung zusagen" not in response.text
    assert response.context["status_actions"] == []

    client.force_login(world.people["head_b"])
    response = client.get(detail)
    assert [stage for stage, _label in response.context["stage_actions"]] == [
        Stage.INTERESTED,
        Stage.COMMITTED,
        Stage.DECLINED,
    ]
    assert "Beteiligung zusagen" in response.text

    client.force_login(world.people["admin"])
    assert client.get(detail).context["stage_actions"] == []


def test_only_the_lead_head_is_offered_the_status_buttons(client, world):
    detail = url("initiative_detail", world.active.pk)
    client.force_login(world.people["head_a"])
    response = client.get(detail)
    assert [status for status, _label in response.context["status_actions"]] == [
        Status.PAUSED,
        Status.COMPLETED,
    ]
    assert "Pausieren" in response.text
    client.force_login(world.people["head_b"])
    response = client.get(detail)
    assert response.context["status_actions"] == []
    assert "Pausieren" not in response.text


def test_staff_cannot_commit_even_with_a_forged_form(client, world):
    client.force_login(world.people["staff_b"])
    for stage in (Stage.COMMITTED, Stage.DECLINED, Stage.ADOPTED):
        response = client.post(url("participation", world.active.pk), {"stage": stage})
        assert response.status_code == 403
    assert (
        not world.active.participations.filter(partner=world.partner_b)
        .exclude(changed_by=world.people["head_b"])
        .exists()
    )


# Browse, filter, sort


@pytest.fixture
def catalogue(db):
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


NEWEST = [
    "Altes Faxverfahren ablösen",
    "Zentrale E-Akte",
    "XÖV-Schnittstelle Meldewesen",
    "Bürgerkonto einführen",
    "Antrag auf Wohngeld",
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, NEWEST),
        ({"area": "schnittstellen"}, ["Zentrale E-Akte", "XÖV-Schnittstelle Meldewesen"]),
        ({"area": ["schnittstellen", "basisdienste"]}, NEWEST),
        ({"status": ["proposed", "active"]}, ["Bürgerkonto einführen", "Antrag auf Wohngeld"]),
        ({"status": "completed"}, ["Zentrale E-Akte"]),
        ({"lead": "aheim"}, ["XÖV-Schnittstelle Meldewesen", "Antrag auf Wohngeld"]),
        ({"lead": ["behausen", "cedorf"]}, [*NEWEST[:2], "Bürgerkonto einführen"]),
        # Taking part: interested, committed or adopted; declined does not count.
        ({"partner": "aheim"}, ["XÖV-Schnittstelle Meldewesen", "Antrag auf Wohngeld"]),
        ({"partner": "behausen"}, ["Bürgerkonto einführen", "Antrag auf Wohngeld"]),
        ({"partner": "cedorf"}, ["Zentrale E-Akte"]),
        ({"ozg": "wohn"}, ["Antrag auf Wohngeld"]),
        ({"ozg": "99115"}, ["XÖV-Schnittstelle Meldewesen"]),
        (
            {"area": "basisdienste", "status": "active", "lead": "behausen"},
            ["Bürgerkonto einführen"],
        ),
        ({"area": "schnittstellen", "partner": "behausen"}, []),
        ({"sort": "neu"}, NEWEST),
        (
            {"sort": "aktiv"},
            [
                "Antrag auf Wohngeld",
                "XÖV-Schnittstelle Meldewesen",
                "Bürgerkonto einführen",
                "Zentrale E-Akte",
                "Altes Faxverfahren ablösen",
            ],
        ),
        (
            {"sort": "titel"},
            [
                "Altes Faxverfahren ablösen",
                "Antrag auf Wohngeld",
                "Bürgerkonto einführen",
                "XÖV-Schnittstelle Meldewesen",
                "Zentrale E-Akte",
            ],
        ),
        ({"sort": "relevanz"}, NEWEST),  # without a search: newest first
    ],
)
def test_filters_and_sorting(client, catalogue, params, expected):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_list"), params)
    assert response.status_code == 200
    assert titles(response) == expected
    if not expected:
        assert "Keine Initiative passt zu diesen Filtern." in response.text


def test_search_understands_german_on_postgresql_and_words_on_sqlite(client, catalogue):
    client.force_login(catalogue.viewer)
    if connection.vendor == "postgresql":
        # German stemming: the plural with umlaut finds the singular.
        response = client.get(url("initiative_list"), {"q": "Anträge"})
        assert titles(response) == ["Antrag auf Wohngeld"]
        excluded = client.get(url("initiative_list"), {"q": "Meldewesen -Akte"})
        assert titles(excluded) == ["XÖV-Schnittstelle Meldewesen"]
    else:
        response = client.get(url("initiative_list"), {"q": "Antrag Wohngeld"})
        assert titles(response) == ["Antrag auf Wohngeld"]
        assert titles(client.get(url("initiative_list"), {"q": "Antrag Fax"})) == []
    assert "Antrag auf Wohngeld" in response.text
    assert titles(client.get(url("initiative_list"), {"q": "Wohngeld"})) == ["Antrag auf Wohngeld"]
    assert titles(client.get(url("initiative_list"), {"q": "Blumenwiese"})) == []


def test_search_sorts_by_relevance_or_as_asked(client, catalogue):
    client.force_login(catalogue.viewer)
    by_relevance = titles(client.get(url("initiative_list"), {"q": "Meldewesen"}))
    explicit = titles(client.get(url("initiative_list"), {"q": "Meldewesen", "sort": "relevanz"}))
    if connection.vendor == "postgresql":
        # A match in the title weighs more than one in the description.
        assert by_relevance == ["XÖV-Schnittstelle Meldewesen", "Zentrale E-Akte"]
    else:
        # SQLite has no ranking: newest first.
        assert by_relevance == ["Zentrale E-Akte", "XÖV-Schnittstelle Meldewesen"]
    assert explicit == by_relevance
    by_title = titles(client.get(url("initiative_list"), {"q": "Meldewesen", "sort": "titel"}))
    assert by_title == ["XÖV-Schnittstelle Meldewesen", "Zentrale E-Akte"]
    newest = titles(client.get(url("initiative_list"), {"q": "Meldewesen", "sort": "neu"}))
    assert newest == ["Zentrale E-Akte", "XÖV-Schnittstelle Meldewesen"]


def test_counts_per_area_follow_every_filter_but_the_area(client, catalogue):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_list"))
    counts = [(area.slug, count) for area, count in response.context["area_counts"]]
    assert counts == [("basisdienste", 3), ("schnittstellen", 2)]
    assert "Basisdienste (3)" in response.text
    assert "Schnittstellen (2)" in response.text

    # The area filter itself does not change the counts: the other field stays choosable.
    response = client.get(url("initiative_list"), {"area": "schnittstellen"})
    counts = [(area.slug, count) for area, count in response.context["area_counts"]]
    assert counts == [("basisdienste", 3), ("schnittstellen", 2)]

    response = client.get(url("initiative_list"), {"status": ["proposed", "paused"]})
    counts = [(area.slug, count) for area, count in response.context["area_counts"]]
    assert counts == [("basisdienste", 1), ("schnittstellen", 1)]
    assert "Basisdienste (1)" in response.text


def test_filters_are_kept_in_the_pagination_links(client, catalogue):
    InitiativeFactory.create_batch(
        24, area=catalogue.basis, proposer=catalogue.viewer, status=Status.PROPOSED
    )
    InitiativeFactory.create_batch(
        5, area=catalogue.schnitt, proposer=catalogue.viewer, status=Status.PROPOSED
    )
    client.force_login(catalogue.viewer)
    params = {"area": "basisdienste", "status": "proposed", "sort": "titel"}
    first = client.get(url("initiative_list"), params)
    assert first.context["paginator"].count == 25
    assert "Seite 1 von 2" in first.text
    next_link = html.unescape(re.search(r'href="([^"]*)" rel="next"', first.text).group(1))
    assert "area=basisdienste" in next_link
    assert "status=proposed" in next_link
    assert "sort=titel" in next_link
    assert "page=2" in next_link

    second = client.get(url("initiative_list") + next_link)
    assert second.status_code == 200
    assert "Seite 2 von 2" in second.text
    page_two = list(second.context["initiatives"])
    assert len(page_two) == 5
    assert {initiative.area_id for initiative in page_two} == {catalogue.basis.pk}
    previous = html.unescape(re.search(r'href="([^"]*)" rel="prev"', second.text).group(1))
    assert "area=basisdienste" in previous
    assert "sort=titel" in previous
    # The export links carry the filters too, without the page.
    export = html.unescape(re.search(r'href="([^"]*export\.csv[^"]*)"', second.text).group(1))
    assert "area=basisdienste" in export
    assert "status=proposed" in export
    assert "page=" not in export


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "unbekannt"}, "unbekannt"),
        ({"status": "xyz"}, "xyz"),
        ({"sort": "bogus"}, "bogus"),
        ({"lead": "gibt-es-nicht"}, "gibt-es-nicht"),
        ({"partner": "gibt-es-nicht"}, "gibt-es-nicht"),
    ],
)
def test_invalid_filter_values_are_explained_in_german(client, catalogue, params, message):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_list"), params)
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert form.errors
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    assert "gültige Auswahl" in error
    assert message in error
    assert "gültige Auswahl" in html.unescape(response.text)
    # The invalid filter is ignored: the list shows everything, not a 500 or nothing.
    assert titles(response) == NEWEST


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1"])
def test_invalid_pages_answer_404(client, catalogue, page):
    client.force_login(catalogue.viewer)
    assert client.get(url("initiative_list"), {"page": page}).status_code == 404


def test_last_page_and_first_page_by_number(client, catalogue):
    client.force_login(catalogue.viewer)
    assert titles(client.get(url("initiative_list"), {"page": "1"})) == NEWEST
    assert titles(client.get(url("initiative_list"), {"page": "last"})) == NEWEST


# Export


def test_csv_export_is_german_excel_friendly_and_filtered(client, catalogue):
    InitiativeFactory(
        title='=HYPERLINK("https://boese.example")',
        summary="+SUMME(A1:A9)",
        description="x",
        ozg_reference="@Wohngeld",
        area=catalogue.schnitt,
        proposer=catalogue.viewer,
    )
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_export_csv"), {"area": "schnittstellen"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="initiativen.csv"' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeffTitel;Zusammenfassung;".encode())
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Titel",
        "Zusammenfassung",
        "Arbeitsfeld",
        "Status",
        "Federführung",
        "Beteiligte Partner",
        "OZG-Bezug",
        "Zieldatum",
        "Vorgeschlagen am",
        "Letzte Aktivität",
        "Adresse",
    ]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {
        '\'=HYPERLINK("https://boese.example")',
        "Zentrale E-Akte",
        "XÖV-Schnittstelle Meldewesen",
    }
    injected = by_title['\'=HYPERLINK("https://boese.example")']
    assert injected[1] == "'+SUMME(A1:A9)"
    assert injected[6] == "'@Wohngeld"
    akte = by_title["Zentrale E-Akte"]
    assert akte[2] == "Schnittstellen"
    assert akte[3] == "Abgeschlossen"
    assert akte[4] == "Gemeinde Cedorf"
    assert akte[5] == "Gemeinde Cedorf (Nachgenutzt)"  # the declining partner is not listed
    assert akte[10] == f"http://testserver/initiativen/{catalogue.akte.pk}/"


def test_csv_export_applies_search_and_status(client, catalogue):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_export_csv"), {"q": "Wohngeld", "status": "proposed"})
    rows = list(csv.reader(io.StringIO(body_of(response).lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Antrag auf Wohngeld"]
    assert rows[1][5] == "Stadt Aheim (Interessiert), Stadt Behausen (Zugesagt)"


def test_json_export_is_valid_and_filtered(client, catalogue):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_export_json"), {"lead": "aheim", "sort": "titel"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body_of(response))
    assert [item["title"] for item in data["initiatives"]] == [
        "Antrag auf Wohngeld",
        "XÖV-Schnittstelle Meldewesen",
    ]
    wohngeld = data["initiatives"][0]
    assert wohngeld["id"] == catalogue.wohngeld.pk
    assert wohngeld["status"] == "Vorschlag"
    assert wohngeld["lead_partner"] == "Stadt Aheim"
    assert wohngeld["partners"] == [
        {"name": "Stadt Aheim", "stage": "Interessiert"},
        {"name": "Stadt Behausen", "stage": "Zugesagt"},
    ]
    assert wohngeld["url"] == f"http://testserver/initiativen/{catalogue.wohngeld.pk}/"
    empty = json.loads(body_of(client.get(url("initiative_export_json"), {"q": "Blumenwiese"})))
    assert empty == {"initiatives": []}


# Propose, edit, withdraw


def test_propose_leads_to_the_detail_with_the_proposers_partner_as_lead(client, world):
    client.force_login(world.people["staff_b"])
    data = {
        **_initiative_data(world, "Gemeinsame E-Rechnung"),
        "ozg_reference": "99107004000000",
        "target_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    response = client.post(url("initiative_create"), data)
    initiative = Initiative.objects.get(title="Gemeinsame E-Rechnung")
    assert response.status_code == 302
    assert response["Location"] == url("initiative_detail", initiative.pk)
    assert initiative.lead_partner == world.partner_b
    assert initiative.proposer == world.people["staff_b"]
    assert initiative.status == Status.PROPOSED
    assert list(initiative.participations.values_list("partner", "stage")) == [
        (world.partner_b.pk, Stage.INTERESTED)
    ]
    detail = client.get(response["Location"])
    assert "Ihr Vorschlag ist gespeichert. Aktiv wird er, sobald zwei Partner zusagen." in (
        detail.text
    )
    assert "Gemeinsame E-Rechnung" in detail.text
    assert detail.context["is_following"]


def test_propose_with_a_past_target_date_is_refused(client, world):
    client.force_login(world.people["staff_b"])
    data = {**_initiative_data(world, "Zu spät"), "target_date": "2001-01-01"}
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 200
    assert "Das Zieldatum liegt in der Vergangenheit." in response.text
    assert not Initiative.objects.filter(title="Zu spät").exists()


def test_proposer_edits_then_cannot_once_active(client, world):
    client.force_login(world.people["staff_a"])
    form = client.get(url("initiative_update", world.proposal.pk))
    assert 'value="Digitale Meldebescheinigung"' in form.text
    response = client.post(
        url("initiative_update", world.proposal.pk),
        _initiative_data(world, "Meldebescheinigung online"),
        follow=True,
    )
    assert "Ihre Änderungen sind gespeichert." in response.text
    assert "Vorschlag bearbeitet" in response.text  # the timeline
    assert Initiative.objects.get(pk=world.proposal.pk).title == "Meldebescheinigung online"

    # The active initiative's proposer edits no more.
    client.force_login(world.people["head_a"])
    assert client.get(url("initiative_update", world.active.pk)).status_code == 403
    response = client.post(
        url("initiative_update", world.active.pk), _initiative_data(world, "Übernommen")
    )
    assert response.status_code == 403
    assert Initiative.objects.get(pk=world.active.pk).title == "Gemeinsames Servicekonto"


def test_proposer_withdraws_and_the_discussion_ends(client, world):
    client.force_login(world.people["staff_a"])
    confirm = client.get(url("initiative_withdraw", world.proposal.pk))
    assert "Möchten Sie „Digitale Meldebescheinigung“ zurückziehen?" in confirm.text
    response = client.post(url("initiative_withdraw", world.proposal.pk), follow=True)
    assert "Der Vorschlag ist zurückgezogen." in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.WITHDRAWN
    assert "Kommentar veröffentlichen" not in response.text
    # Once withdrawn, neither editing nor withdrawing again.
    assert client.get(url("initiative_withdraw", world.proposal.pk)).status_code == 403
    comment = client.post(url("comment_create", world.proposal.pk), {"body": "Schade."})
    assert comment.status_code == 400
    assert "Eine zurückgezogene Initiative wird nicht mehr diskutiert." in comment.text
    assert not Comment.objects.filter(body="Schade.").exists()


# Decide and participate


def test_two_department_heads_commit_and_the_proposal_becomes_active(client, world):
    participation = url("participation", world.proposal.pk)
    client.force_login(world.people["head_b"])
    response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
    assert "Für Stadt Behausen gilt jetzt: Zugesagt." in response.text
    assert "Die Initiative ist aktiv" not in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.PROPOSED

    client.force_login(world.people["head_a"])
    response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
    assert response.redirect_chain[-1][0] == url("initiative_detail", world.proposal.pk)
    assert "Für Stadt Aheim gilt jetzt: Zugesagt." in response.text
    assert "Zwei Partner haben zugesagt: Die Initiative ist aktiv." in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.ACTIVE
    stages = dict(world.proposal.participations.values_list("partner__slug", "stage"))
    assert stages == {"aheim": Stage.COMMITTED, "behausen": Stage.COMMITTED}
    assert world.proposal.events.filter(kind=InitiativeEvent.Kind.ACTIVATED).count() == 1
    assert "Aktiv: zwei Partner haben zugesagt" in response.text  # the timeline


def test_staff_declares_interest(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(
        url("participation", world.plain.pk), {"stage": Stage.INTERESTED}, follow=True
    )
    assert "Für Stadt Behausen gilt jetzt: Interessiert." in response.text
    assert world.plain.participations.get(partner=world.partner_b).stage == Stage.INTERESTED
    assert response.context["is_following"]


def test_impossible_stage_changes_are_explained(client, world):
    client.force_login(world.people["head_b"])
    response = client.post(url("participation", world.plain.pk), {"stage": "bogus"}, follow=True)
    assert "Diese Stufe der Beteiligung gibt es nicht." in response.text
    # Adopting needs an active initiative.
    response = client.post(
        url("participation", world.plain.pk), {"stage": Stage.ADOPTED}, follow=True
    )
    assert "ist „Nachgenutzt“ nicht möglich" in response.text
    assert not world.plain.participations.filter(partner=world.partner_b).exists()


def test_lead_head_pauses_resumes_and_completes(client, world):
    status = url("initiative_status", world.active.pk)
    client.force_login(world.people["head_a"])
    response = client.post(status, {"status": Status.PAUSED}, follow=True)
    assert "Die Initiative ist jetzt „Pausiert“." in response.text
    response = client.post(status, {"status": Status.ACTIVE}, follow=True)
    assert "Die Initiative ist jetzt „Aktiv“." in response.text
    response = client.post(status, {"status": Status.COMPLETED}, follow=True)
    assert "Die Initiative ist jetzt „Abgeschlossen“." in response.text
    assert Initiative.objects.get(pk=world.active.pk).status == Status.COMPLETED
    kinds = list(world.active.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["paused", "resumed", "completed"]
    # Completed is final.
    response = client.post(status, {"status": Status.ACTIVE}, follow=True)
    assert "kann nicht „Aktiv“ werden" in response.text
    assert Initiative.objects.get(pk=world.active.pk).status == Status.COMPLETED
    response = client.post(status, {"status": Status.WITHDRAWN}, follow=True)
    assert "Diese Statusänderung gibt es nicht." in response.text


# Follow


def test_follow_and_unfollow_toggle_the_count(client, world):
    detail = url("initiative_detail", world.plain.pk)
    client.force_login(world.people["staff_b"])

    def count():
        page = client.get(detail)
        return page.context["follower_count"], page.context["is_following"]

    assert count() == (1, False)  # the proposer
    response = client.post(url("follow", world.plain.pk), {"follow": "1"}, follow=True)
    assert "Sie folgen dieser Initiative." in response.text
    assert (
        '<dd class="kern-description-list-item__value" data-testid="follower-count">2 Personen'
        in (response.text)
    )
    assert "Nicht mehr folgen" in response.text
    assert count() == (2, True)
    client.post(url("follow", world.plain.pk), {"follow": "1"})  # twice is once
    assert count() == (2, True)
    response = client.post(url("follow", world.plain.pk), {"follow": "0"}, follow=True)
    assert "Sie folgen dieser Initiative nicht mehr." in response.text
    assert 'data-testid="follower-count">1 Person<' in response.text
    assert count() == (1, False)
    response = client.post(url("follow", world.plain.pk), {"follow": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“." in response.text
    assert count() == (1, False)


# Discuss


def test_comment_is_published_and_linked(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": "Wir **auch**."})
    comment = Comment.objects.get(body="Wir **auch**.")
    assert response["Location"] == url("initiative_detail", world.plain.pk) + (
        f"?kommentare=1#kommentar-{comment.pk}"
    )
    assert comment.author == world.people["staff_b"]
    assert comment.partner == world.partner_b
    detail = client.get(response["Location"])
    assert "Ihr Kommentar ist veröffentlicht." in detail.text
    assert "Wir <strong>auch</strong>." in detail.text
    assert "2 Kommentare" in detail.text


def test_empty_comment_is_refused_with_a_400(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert "Offene Daten veröffentlichen" in response.text  # the detail page again
    assert Comment.objects.filter(initiative=world.plain).count() == 1


def test_too_long_comment_keeps_what_was_typed(client, world):
    client.force_login(world.people["staff_b"])
    text = "Ein sehr langer Beitrag. " * 201  # 5,025 characters
    response = client.post(url("comment_create", world.plain.pk), {"body": text})
    assert response.status_code == 400
    assert "höchstens 5000 Zeichen" in response.text
    assert text.strip() in response.text  # nothing typed is lost
    assert Comment.objects.filter(initiative=world.plain).count() == 1


def test_author_edits_and_deletes_a_comment(client, world):
    detail = url("initiative_detail", world.plain.pk)
    client.force_login(world.people["staff_a"])
    assert ">bearbeitet</span>" not in client.get(detail).text
    form = client.get(url("comment_update", world.comment.pk))
    assert "Wir sind dabei." in form.text
    response = client.post(
        url("comment_update", world.comment.pk), {"body": "Wir sind ab März dabei."}
    )
    assert response["Location"] == detail + f"?kommentare=1#kommentar-{world.comment.pk}"
    page = client.get(detail)
    assert "Ihr Kommentar ist geändert." in page.text
    assert "Wir sind ab März dabei." in page.text
    assert ">bearbeitet</span>" in page.text
    assert Comment.objects.get(pk=world.comment.pk).edited_at is not None

    empty = client.post(url("comment_update", world.comment.pk), {"body": ""})
    assert empty.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in empty.text
    assert Comment.objects.get(pk=world.comment.pk).body == "Wir sind ab März dabei."

    confirm = client.get(url("comment_delete", world.comment.pk))
    assert "Möchten Sie Ihren Kommentar zu „Offene Daten veröffentlichen“ löschen?" in confirm.text
    response = client.post(url("comment_delete", world.comment.pk), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "Ihr Kommentar ist gelöscht." in response.text
    assert "Noch keine Kommentare." in response.text
    assert not Comment.objects.filter(pk=world.comment.pk).exists()


def test_the_edit_and_delete_links_are_only_the_authors(client, world):
    detail = url("initiative_detail", world.plain.pk)
    edit = url("comment_update", world.comment.pk)
    client.force_login(world.people["staff_a"])
    assert edit in client.get(detail).text
    client.force_login(world.people["head_a"])  # same partner, another person
    assert edit not in client.get(detail).text


# Common ground and the inventory


def test_common_ground_shows_shared_products_with_a_proposal_link(client, world):
    # A runs "OK.EWO" already (the world); B runs it too, written differently.
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="ok.ewo")
    services.solution_record(recorded_by=world.staff_c, area=world.area, product="Nur bei C")
    client.force_login(world.people["staff_b"])
    response = client.get(url("common_ground"))
    assert response.status_code == 200
    shared = dict(response.context["shared"])[world.area]
    assert [(entry.product, [p.name for p in entry.partners]) for entry in shared] == [
        ("OK.EWO", ["Stadt Aheim", "Stadt Behausen"])
    ]
    assert "2 Partner: Stadt Aheim, Stadt Behausen" in response.text
    assert "Nur bei C" in response.text  # in the matrix, not among the shared
    link = html.unescape(
        re.search(
            r'href="(/initiativen/neu/\?[^"]*)"[^>]*>\s*<span class="kern-label">'
            r"Initiative vorschlagen",
            response.text,
        ).group(1)
    )
    assert link == "/initiativen/neu/?area=basisdienste&product=OK.EWO"

    form = client.get(link)
    assert form.status_code == 200
    assert 'value="Gemeinsam: OK.EWO"' in form.text
    assert form.context["form"].initial["area"] == world.area
    assert "Mehrere Partner setzen OK.EWO ein." in form.text


def test_prefilled_proposal_without_a_known_area_is_a_blank_form(client, world):
    client.force_login(world.people["staff_b"])
    form = client.get(url("initiative_create"), {"area": "unbekannt", "product": "OK.EWO"})
    assert form.status_code == 200
    assert form.context["form"].initial == {}
    area_only = client.get(url("initiative_create"), {"area": "basisdienste"})
    assert area_only.context["form"].initial == {"area": world.area}


def test_office_sees_common_ground_without_proposal_links(client, world):
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="OK.EWO")
    client.force_login(world.people["admin"])
    response = client.get(url("common_ground"))
    assert "2 Partner: Stadt Aheim, Stadt Behausen" in response.text
    assert "Initiative vorschlagen" not in response.text


def test_solutions_of_a_former_partner_are_not_common_ground(client, world):
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="Fremd")
    Solution.objects.create(
        partner=world.former, area=world.area, product="Fremd", product_key="fremd"
    )
    client.force_login(world.people["staff_b"])
    shared = dict(client.get(url("common_ground")).context["shared"])[world.area]
    assert [entry.product for entry in shared] == []


def test_record_edit_and_delete_a_solution(client, world):
    client.force_login(world.people["staff_b"])
    data = {"area": world.area.pk, "product": "  ePayBL  ", "vendor": "Land", "notes": "Seit 2021"}
    response = client.post(url("solution_list"), data, follow=True)
    assert response.redirect_chain[-1][0] == url("solution_list")
    assert "„ePayBL“ ist erfasst." in response.text
    solution = Solution.objects.get(partner=world.partner_b, product="ePayBL")
    assert solution.recorded_by == world.people["staff_b"]
    assert [s.product for s in response.context["solutions"]] == ["ePayBL"]  # only B's

    duplicate = client.post(url("solution_list"), {**data, "product": "EPAYBL"})
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["product"] == [
        "Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst."
    ]
    assert "Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst." in (
        duplicate.text
    )
    assert 'value="EPAYBL"' in duplicate.text  # what was typed stays
    assert Solution.objects.filter(partner=world.partner_b).count() == 1

    # Another partner may record the same product.
    client.force_login(world.people["head_a"])
    assert client.post(url("solution_list"), data).status_code == 302

    client.force_login(world.people["head_b"])  # same partner as the recorder
    form = client.get(url("solution_update", solution.pk))
    assert 'value="ePayBL"' in form.text
    response = client.post(
        url("solution_update", solution.pk),
        {**data, "product": "ePayBL 2", "notes": "Neue Version"},
        follow=True,
    )
    assert "Die Lösung ist geändert." in response.text
    solution.refresh_from_db()
    assert (solution.product, solution.notes) == ("ePayBL 2", "Neue Version")
    assert solution.recorded_by == world.people["head_b"]

    response = client.post(url("solution_delete", solution.pk), follow=True)
    assert "„ePayBL 2“ ist gelöscht." in response.text
    assert not Solution.objects.filter(pk=solution.pk).exists()


def test_renaming_a_solution_onto_another_is_refused(client, world):
    client.force_login(world.people["staff_a"])
    other = services.solution_record(
        recorded_by=world.people["staff_a"], area=world.area, product="FIT-Connect"
    )
    response = client.post(
        url("solution_update", other.pk),
        {"area": world.area.pk, "product": "ok.ewo", "vendor": "", "notes": ""},
    )
    assert response.status_code == 200
    assert "schon erfasst" in response.text
    assert Solution.objects.get(pk=other.pk).product == "FIT-Connect"


# Hostile input


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes = []
        self.scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def assert_harmless(page: str) -> None:
    """No script, event handler or javascript: link from the input made it into the markup."""
    assert "<script>alert" not in page
    markup = _Markup()
    markup.feed(page)
    assert [(tag, name) for tag, name, _value in markup.attributes if name.startswith("on")] == []
    assert [
        value
        for _tag, name, value in markup.attributes
        if name in {"href", "src", "action", "formaction"}
        and value.strip().lower().startswith("javascript:")
    ] == []
    assert [script for script in markup.scripts if "alert" in script] == []


HOSTILE_MARKDOWN = (
    "Vorher <script>alert(1)</script>\n\n"
    "[Klick mich](javascript:alert(2))\n\n"
    '<a href="javascript:alert(3)">roh</a> <img src=x onerror=alert(4)>\n\n'
    '<p onclick="alert(5)">Absatz</p>'
)


def test_html_in_every_initiative_field_is_escaped(client, world):
    client.force_login(world.people["staff_b"])
    data = {
        **_initiative_data(world, "<script>alert(1)</script> Titel"),
        "summary": '<img src=x onerror="alert(2)"> Zusammenfassung',
        "description": HOSTILE_MARKDOWN,
        "ozg_reference": "<b onmouseover=alert(3)>Wohngeld</b>",
    }
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(proposer=world.people["staff_b"])
    assert initiative.title == "<script>alert(1)</script> Titel"  # stored as typed

    detail = client.get(response["Location"]).text
    assert_harmless(detail)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Titel" in detail
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; Zusammenfassung" in detail
    assert "&lt;b onmouseover=alert(3)&gt;Wohngeld&lt;/b&gt;" in detail
    assert "Klick mich" in detail  # the link text stays, the javascript: target goes
    assert "javascript:" not in detail
    assert "Absatz" in detail

    listing = client.get(url("initiative_list")).text
    assert_harmless(listing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Titel" in listing
    assert_harmless(client.get(url("initiative_update", initiative.pk)).text)
    assert_harmless(client.get(url("initiative_withdraw", initiative.pk)).text)
    assert_harmless(client.get(url("initiative_list"), {"q": "<script>alert(1)</script>"}).text)


def test_html_in_comments_is_sanitised(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": HOSTILE_MARKDOWN})
    assert response.status_code == 302
    comment = Comment.objects.get(author=world.people["staff_b"])
    detail = client.get(url("initiative_detail", world.plain.pk)).text
    assert_harmless(detail)
    assert "Klick mich" in detail
    assert "javascript:" not in detail
    assert_harmless(client.get(url("comment_update", comment.pk)).text)
    assert_harmless(client.get(url("comment_delete", comment.pk)).text)

    # The 400 page that shows the refused text again is harmless too.
    refused = client.post(url("comment_create", world.plain.pk), {"body": HOSTILE_MARKDOWN * 30})
    assert refused.status_code == 400
    assert_harmless(refused.text)


def test_html_in_solutions_is_escaped(client, world):
    hostile = {
        "area": world.area.pk,
        "product": "<script>alert(1)</script>",
        "vendor": "<img src=x onerror=alert(2)>",
        "notes": "<script>alert(3)</script>\n<b onclick=alert(4)>fett</b>",
    }
    for person in ("staff_a", "staff_b"):  # two partners: it shows among the shared products
        client.force_login(world.people[person])
        assert client.post(url("solution_list"), hostile).status_code == 302
    solution = Solution.objects.get(partner=world.partner_b)
    listing = client.get(url("solution_list")).text
    assert_harmless(listing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "&lt;b onclick=alert(4)&gt;fett&lt;/b&gt;" in listing
    ground = client.get(url("common_ground"))
    assert_harmless(ground.text)
    assert [entry.product for entry in dict(ground.context["shared"])[world.area]] == [
        "<script>alert(1)</script>"
    ]
    link = html.unescape(re.search(r'href="(/initiativen/neu/\?[^"]*)"', ground.text).group(1))
    prefilled = client.get(link)
    assert_harmless(prefilled.text)
    assert 'value="Gemeinsam: &lt;script&gt;alert(1)&lt;/script&gt;"' in prefilled.text
    assert_harmless(client.get(url("solution_update", solution.pk)).text)
    assert_harmless(client.get(url("solution_delete", solution.pk)).text)


def test_a_very_long_title_is_a_form_error(client, world):
    client.force_login(world.people["staff_b"])
    before = snapshot()
    response = client.post(url("initiative_create"), _initiative_data(world, "A" * 10_000))
    assert response.status_code == 200
    assert "höchstens 200 Zeichen" in response.text
    assert snapshot() == before


@pytest.mark.parametrize("field", ["title", "summary", "description", "ozg_reference"])
def test_a_nul_byte_in_an_initiative_is_a_form_error(client, world, field):
    client.force_login(world.people["staff_b"])
    data = _initiative_data(world, "Mit Nullzeichen")
    data[field] = "Text\x00mit Null"
    before = snapshot()
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 200
    assert "Nullzeichen sind nicht erlaubt." in response.text
    assert snapshot() == before


def test_a_nul_byte_in_comments_and_solutions_is_a_form_error(client, world):
    client.force_login(world.people["staff_a"])
    before = snapshot()
    comment = client.post(url("comment_create", world.plain.pk), {"body": "Hallo\x00"})
    assert comment.status_code == 400
    assert "Nullzeichen sind nicht erlaubt." in comment.text
    edit = client.post(url("comment_update", world.comment.pk), {"body": "Hallo\x00"})
    assert edit.status_code == 200
    assert "Nullzeichen sind nicht erlaubt." in edit.text
    for field in ("product", "vendor", "notes"):
        data = {"area": world.area.pk, "product": "X", "vendor": "", "notes": "", field: "a\x00b"}
        solution = client.post(url("solution_list"), data)
        assert solution.status_code == 400
        assert "Nullzeichen sind nicht erlaubt." in solution.text
        update = client.post(url("solution_update", world.solution.pk), data)
        assert update.status_code == 200
        assert "Nullzeichen sind nicht erlaubt." in update.text
    assert snapshot() == before


@pytest.mark.parametrize("params", [{"q": "Wohn\x00geld"}, {"ozg": "\x00"}, {"q": "x" * 500}])
def test_hostile_filter_values_are_not_a_500(client, catalogue, params):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_list"), params)
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    # An export does not start with filters it cannot apply (issue 15, point 5): a 400 page.
    csv_export = client.get(url("initiative_export_csv"), params)
    assert csv_export.status_code == 400
    assert "Die Filterangaben in der Adresse sind ungültig." in csv_export.text


# What the pages cost: the same bound with few and with many rows

SIZES = {
    "few": {"partners": 3, "initiatives": 5, "taking_part": 2},
    "many": {"partners": 30, "initiatives": 1000, "taking_part": 15},
}


def crowd(partners, initiatives, taking_part):
    areas = [AreaFactory(slug="basisdienste"), AreaFactory(), AreaFactory()]
    members = PartnerFactory.create_batch(partners)
    people = [UserFactory(partner=partner) for partner in members]
    created = Initiative.objects.bulk_create(
        InitiativeFactory.build(
            area=areas[number % 3],
            proposer=people[number % partners],
            title=f"Digitaler Antrag Nummer {number}",
        )
        for number in range(initiatives)
    )
    Participation.objects.bulk_create(
        Participation(
            initiative=initiative,
            partner=members[(number + offset) % partners],
            stage=(Stage.INTERESTED, Stage.COMMITTED, Stage.ADOPTED)[offset % 3],
            changed_by=people[(number + offset) % partners],
        )
        for number, initiative in enumerate(created)
        for offset in range(taking_part)
    )
    return SimpleNamespace(areas=areas, partners=members, people=people, initiatives=created)


LIST_QUERIES = 12


@pytest.mark.parametrize("size", SIZES)
def test_initiative_list_queries_are_bounded(client, django_assert_max_num_queries, size):
    data = crowd(**SIZES[size])
    client.force_login(data.people[0])
    shown = min(20, SIZES[size]["initiatives"])
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(url("initiative_list"))
    assert len(response.context["initiatives"]) == shown
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(
            url("initiative_list"),
            {
                "area": "basisdienste",
                "status": ["proposed", "active"],
                "partner": [data.partners[1].slug, data.partners[2].slug],
                "sort": "titel",
            },
        )
    assert response.status_code == 200
    assert response.context["paginator"].count > 0
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(url("initiative_list"), {"q": "Antrag"})
    assert len(response.context["initiatives"]) == shown


@pytest.mark.parametrize("size", SIZES)
def test_exports_queries_are_bounded(client, django_assert_max_num_queries, size):
    data = crowd(**SIZES[size])
    client.force_login(data.people[0])
    with django_assert_max_num_queries(LIST_QUERIES):
        rows = body_of(client.get(url("initiative_export_csv"))).splitlines()
    assert len(rows) == 1 + SIZES[size]["initiatives"]
    with django_assert_max_num_queries(LIST_QUERIES):
        exported = json.loads(body_of(client.get(url("initiative_export_json"), {"q": "Antrag"})))
    assert len(exported["initiatives"]) == SIZES[size]["initiatives"]


DETAIL_QUERIES = 15


@pytest.mark.parametrize(
    ("comments", "partners", "events"), [(3, 2, 3), (200, 30, 50)], ids=["few", "many"]
)
def test_initiative_detail_queries_are_bounded(
    client, django_assert_max_num_queries, comments, partners, events
):
    members = PartnerFactory.create_batch(partners)
    people = [UserFactory(partner=partner) for partner in members]
    initiative = InitiativeFactory(proposer=people[0])
    Participation.objects.bulk_create(
        Participation(
            initiative=initiative, partner=partner, stage=Stage.COMMITTED, changed_by=person
        )
        for partner, person in zip(members, people, strict=True)
    )
    Comment.objects.bulk_create(
        Comment(
            initiative=initiative,
            author=people[number % partners],
            partner=members[number % partners],
            body=f"Beitrag **{number}**",
            edited_at=timezone.now() if number % 2 else None,
        )
        for number in range(comments)
    )
    InitiativeEvent.objects.bulk_create(
        InitiativeEvent(
            initiative=initiative,
            kind=InitiativeEvent.Kind.COMMITTED,
            actor=people[number % partners],
            partner=members[number % partners],
        )
        for number in range(events)
    )
    Follow.objects.bulk_create(Follow(initiative=initiative, user=person) for person in people)
    client.force_login(people[1])
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(url("initiative_detail", initiative.pk))
    assert f"{comments} Kommentare" in response.text
    assert len(response.context["participations"]) == partners
    assert len(list(response.context["events"])) == events


COMMON_GROUND_QUERIES = 12


@pytest.mark.parametrize(("partners", "per_partner"), [(3, 2), (40, 60)], ids=["few", "many"])
def test_common_ground_and_solution_list_queries_are_bounded(
    client, django_assert_max_num_queries, partners, per_partner
):
    areas = AreaFactory.create_batch(3)
    members = PartnerFactory.create_batch(partners)
    Solution.objects.bulk_create(
        Solution(
            partner=partner,
            area=areas[number % 3],
            product=f"Produkt {number}",
            product_key=product_key(f"Produkt {number}"),
            vendor=f"Hersteller {number % 4}",
        )
        for partner in members
        for number in range(per_partner)
    )
    person = UserFactory(partner=members[0])
    client.force_login(person)
    with django_assert_max_num_queries(COMMON_GROUND_QUERIES):
        response = client.get(url("common_ground"))
    assert len(response.context["rows"]) == min(25, partners)
    assert sum(len(entries) for _area, entries in response.context["shared"]) == per_partner
    with django_assert_max_num_queries(COMMON_GROUND_QUERIES):
        response = client.get(url("common_ground"), {"page": 2})
    assert response.status_code == 200
    with django_assert_max_num_queries(COMMON_GROUND_QUERIES):
        response = client.get(url("solution_list"))
    assert len(response.context["solutions"]) == min(50, per_partner)
