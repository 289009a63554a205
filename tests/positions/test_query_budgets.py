"""The position pages run a bounded number of queries however many positions there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions import services
from tests.factories import AddresseeFactory, draft_position
from tests.positions.helpers import in_a_week, url

pytestmark = pytest.mark.django_db

LIST_BUDGET = 12
DETAIL_BUDGET = 22


def many_positions(world, count):
    addressees = [AddresseeFactory(), AddresseeFactory(kind="bund")]
    head_a = world.people["head_a"]
    positions = []
    for number in range(count):
        position = draft_position(world.people["staff_a"], addressees, title=f"Position {number}")
        if number % 2:
            services.position_open(position=position, actor=head_a, deadline=in_a_week())
            services.cosignature_decide(position=position, actor=head_a, signs=True)
            services.cosignature_decide(
                position=position, actor=world.people["head_b"], signs=False, reason="Nein."
            )
        positions.append(position)
    return positions


@pytest.mark.parametrize("count", [10, 60])
def test_list_and_detail_stay_within_budget(client, world, count, django_assert_max_num_queries):
    positions = many_positions(world, count)
    client.force_login(world.people["head_b"])
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(url("position_list"), {"status": ["draft", "cosigning"]})
    assert response.status_code == 200
    with django_assert_max_num_queries(LIST_BUDGET):
        page = "2" if count > 20 else "1"
        assert client.get(url("position_list"), {"q": "Position", "page": page}).status_code == 200
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(url("position_detail", positions[-1].pk))
    assert response.status_code == 200


def test_the_detail_runs_as_many_queries_with_five_versions_as_with_one(
    client, world, django_assert_num_queries
):
    staff = world.people["staff_a"]
    one, five = (draft_position(staff, title=title) for title in ("Eine Fassung", "Fünf Fassungen"))
    for number in range(2, 6):
        services.position_update(
            position=five,
            editor=staff,
            title=five.title,
            occasion=five.occasion,
            text=f"Fassung {number}",
            addressees=list(five.addressees.all()),
        )
    assert five.versions.count() == 5
    client.force_login(world.people["staff_b"])
    client.get(url("position_detail", one.pk))  # the session's first read
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(url("position_detail", one.pk)).status_code == 200
    with django_assert_num_queries(len(with_one)):
        response = client.get(url("position_detail", five.pk))
    assert "5 Fassungen" in response.text
