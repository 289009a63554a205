"""Far pages of the list seek to a cached bookmark instead of skipping every row before them
(initiatives.bookmarks, issue 20): every page shows what plain OFFSET would show, in every sort
and filter, and the bookmarks are read once per version of the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiatives import bookmarks
from initiatives.bookmarks import Bookmarks
from initiatives.models import Initiative
from initiatives.pagination import IdsFirstPaginator
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:initiative_list")
ORDERS = [["-created_at", "-id"], ["-last_activity_at", "-id"], ["title", "id"]]


@pytest.fixture
def many():
    """23 initiatives; some share their time of creation, activity or title, so that the id
    decides between them."""
    start = timezone.now() - datetime.timedelta(days=30)
    for number in range(23):
        InitiativeFactory(
            title=f"Vorhaben {number % 7}",
            status=Initiative.Status.ACTIVE if number % 3 else Initiative.Status.PAUSED,
            created_at=start + datetime.timedelta(hours=number // 2),
            last_activity_at=start + datetime.timedelta(hours=(number * 5) % 11),
        )


def pages(queryset, marks=None) -> list[list[int]]:
    paginator = IdsFirstPaginator(queryset, 4, rows=Initiative.objects.all(), bookmarks=marks)
    return [[row.pk for row in paginator.page(n)] for n in paginator.page_range]


@pytest.mark.parametrize("order", ORDERS)
def test_every_page_through_bookmarks_is_the_page_offset_gives(many, order):
    for queryset in (
        Initiative.objects.order_by(*order),
        Initiative.objects.filter(status=Initiative.Status.ACTIVE).order_by(*order),
    ):
        expected = pages(queryset)
        assert len(expected) >= 4
        assert (
            pages(queryset, Bookmarks(f"test{len(order[0])}-{queryset.count()}", every=3))
            == expected
        )


def test_a_far_page_seeks_along_the_sort_keys_and_the_bookmarks_are_read_once(many):
    queryset = Initiative.objects.order_by("-created_at", "-id")
    marks = Bookmarks("once", every=3)
    with CaptureQueriesContext(connection) as first:
        pages(queryset, marks)
    with CaptureQueriesContext(connection) as again:
        pages(queryset, marks)
    numbering = [q["sql"] for q in first.captured_queries if "row_number()" in q["sql"]]
    assert len(numbering) == 1
    assert not any("row_number()" in q["sql"] for q in again.captured_queries)
    if connection.vendor == "postgresql":  # a row comparison the sort index serves
        seeks = [q["sql"] for q in again.captured_queries if '"created_at", ' in q["sql"]]
        assert any(") <= (" in sql for sql in seeks)


def test_an_order_by_rank_or_mixed_directions_is_not_sought(many):
    marks = Bookmarks("mixed", every=3)
    queryset = Initiative.objects.order_by("-created_at", "id")
    assert marks.seek(queryset, 12, 16, 23) == (queryset, 12, 16)


def test_the_list_pages_are_the_same_with_bookmarks(client, many, monkeypatch):
    monkeypatch.setattr(bookmarks, "EVERY", 3)
    client.force_login(UserFactory())
    for sort, order in [("neu", ORDERS[0]), ("aktiv", ORDERS[1]), ("titel", ORDERS[2])]:
        expected = list(Initiative.objects.order_by(*order).values_list("title", flat=True))
        shown = []
        for page in range(1, 3):  # 20 a page: 23 initiatives
            response = client.get(LIST, {"sort": sort, "page": page})
            shown += [initiative.title for initiative in response.context["initiatives"]]
        assert shown == expected


def test_bookmarks_are_read_for_a_page_in_the_back_half_and_then_serve_the_front_half(many):
    """Reading them passes every row: only a page beyond half the list pays that, at most twice
    its own OFFSET; a page ahead of it skips its rows until the bookmarks are at hand."""
    queryset = Initiative.objects.order_by("-created_at", "-id")
    marks = Bookmarks("halves", every=3)
    with CaptureQueriesContext(connection) as front:
        assert marks.seek(queryset, 8, 12, 23) == (queryset, 8, 12)  # row 8 of 23: ahead
    assert not any("row_number()" in q["sql"] for q in front.captured_queries)
    _sought, first, last = marks.seek(queryset, 12, 16, 23)  # row 12: the back half
    assert (first, last) == (0, 4)
    sought, first, last = marks.seek(queryset, 8, 12, 23)
    assert (first, last) == (2, 6)
    expected = list(queryset.values_list("pk", flat=True)[8:12])
    assert list(sought.values_list("pk", flat=True)[first:last]) == expected
