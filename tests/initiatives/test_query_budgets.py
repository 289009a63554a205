"""What the initiatives pages cost: the same bound on queries with few and with many rows."""

import json
from types import SimpleNamespace

import pytest
from django.utils import timezone

from initiatives.models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
    product_key,
)
from tests.factories import (
    AreaFactory,
    InitiativeFactory,
    PartnerFactory,
    UserFactory,
)
from tests.initiatives.helpers import (
    Stage,
    body_of,
    url,
)

pytestmark = pytest.mark.django_db


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
