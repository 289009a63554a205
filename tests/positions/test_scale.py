"""The position pages at national scale: the list (first page, far page, filtered, searched) and
the detail page run within the same budgets with 10 and with 10,000 positions of the seeded
data set (kooperation/devdata/scale/positions.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kooperation.devdata import scale
from partners.models import User
from positions.models import Position
from tests.positions.helpers import url
from tests.positions.test_query_budgets import DETAIL_BUDGET, LIST_BUDGET

pytestmark = pytest.mark.django_db

BASE = {
    "partners": 60,
    "people": 400,
    "initiatives": 1,
    "participations": 0,
    "comments": 0,
    "solutions": 0,
    "applications": 0,
    "follows": 0,
}


def queries(client, path, data=None) -> int:
    client.get(path, data)  # the first request of a session notes its sign-in time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("count", [10, 10_000])
def test_list_and_detail_stay_within_budget_with_10_and_10000_positions(count):
    options = [f"--{name}={value}" for name, value in {**BASE, "positions": count}.items()]
    call_command("seed_scale", *options, stdout=StringIO())
    assert Position.objects.count() == count
    detail = Position.objects.get(title=scale.DETAIL_POSITION_TITLE)
    assert detail.comments.count() == scale.DETAIL_POSITION_COMMENTS
    client = Client()
    client.force_login(User.objects.get(email=scale.SCALE_STAFF))

    lists = {
        "first": queries(client, url("position_list")),
        "far": queries(client, url("position_list"), {"page": "last"}),
        "filtered": queries(client, url("position_list"), {"status": ["sent", "answered"]}),
        "searched": queries(client, url("position_list"), {"q": "Stellungnahme Wohngeld"}),
    }
    assert max(lists.values()) <= LIST_BUDGET, lists
    assert lists["far"] == lists["first"]
    assert queries(client, url("position_detail", detail.pk)) <= DETAIL_BUDGET
    assert queries(client, url("position_detail", detail.pk), {"kommentare": 1}) <= DETAIL_BUDGET
    letter = client.get(url("letter", detail.pk))
    assert letter["Content-Type"] == "application/pdf"
    assert bytes(letter.content) == bytes(Position.objects.get(pk=detail.pk).letter_pdf)
