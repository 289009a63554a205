"""The position pages run a bounded number of queries however many positions there are."""

import pytest

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
