"""The text search: parts of German compounds find their words (issue 18, item 10), exact
matches first; a word that nearly every initiative holds costs no more than a few (issue 20,
item 3): at most SEARCH_CAP matches are counted and ranked ("über 1.000")."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import selectors
from initiatives.models import Initiative
from tests.factories import AreaFactory, InitiativeFactory, UserFactory
from tests.initiatives.helpers import body_of, titles, url

pytestmark = pytest.mark.django_db

PARKING = "Gemeinsamer Online-Antrag für Anwohnerparkausweise"


@pytest.fixture
def viewer(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("text", ["Parkausweis", "Parkausweise", "Anwohnerpark", "parkausweis"])
def test_parts_of_a_compound_find_it(viewer, text):
    InitiativeFactory(title=PARKING, summary="Ein Antrag für alle.")
    InitiativeFactory(title="Antrag auf Wohngeld", summary="Wohngeld online beantragen.")
    assert titles(viewer.get(url("initiative_list"), {"q": text})) == [PARKING]


def test_an_inflected_part_of_a_compound_finds_it_on_postgresql(viewer):
    InitiativeFactory(title=PARKING)
    found = titles(viewer.get(url("initiative_list"), {"q": "Parkausweisen Antrag"}))
    # PostgreSQL looks for the German stem ("parkausweis"); SQLite for the letters as typed.
    assert found == ([PARKING] if connection.vendor == "postgresql" else [])


def test_a_compound_part_of_the_summary_finds_it_and_phrases_stay_phrases(viewer):
    InitiativeFactory(title="Online-Dienst", summary="Für Anwohnerparkausweise in allen Städten.")
    assert titles(viewer.get(url("initiative_list"), {"q": "Parkausweis"})) == ["Online-Dienst"]
    phrase = viewer.get(url("initiative_list"), {"q": '"Parkausweis Städten"'})
    if connection.vendor == "postgresql":  # a phrase is for full-text search only
        assert titles(phrase) == []


def test_exact_matches_come_before_parts_of_compounds(viewer):
    exact = InitiativeFactory(title="Parkausweis digital", summary="Für alle.")
    InitiativeFactory(title=PARKING, summary="Für alle.")  # newer
    found = titles(viewer.get(url("initiative_list"), {"q": "Parkausweis"}))
    if connection.vendor == "postgresql":
        assert found == [exact.title, PARKING]
    else:  # SQLite has no ranking: newest first
        assert found == [PARKING, exact.title]


@pytest.fixture
def many_matches(monkeypatch):
    """Eight initiatives that hold the word, with the cap at five."""
    monkeypatch.setattr(selectors, "SEARCH_CAP", 5)
    area = AreaFactory(name="Online-Dienste")
    for number in range(8):
        InitiativeFactory(area=area, title=f"Antrag Nummer {number}")
    InitiativeFactory(
        area=area, title="Fachverfahren Elterngeld", summary="Ablösen.", description="Ablösen."
    )


def test_a_search_with_more_matches_than_the_cap_says_so_and_shows_the_newest(
    viewer, many_matches, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = viewer.get(url("initiative_list"), {"q": "Antrag"})
    assert "über 5 Initiativen" in response.text
    assert "Online-Dienste (über 5)" in response.text  # the field's count in the filter
    assert response.context["paginator"].count == 5
    assert len(titles(response)) == 5
    assert set(titles(response)) == {f"Antrag Nummer {number}" for number in range(3, 8)}
    by_date = titles(viewer.get(url("initiative_list"), {"q": "Antrag", "sort": "neu"}))
    assert by_date == [f"Antrag Nummer {number}" for number in range(7, 2, -1)]
    exact = viewer.get(url("initiative_list"), {"q": "Elterngeld"})
    assert "1 Initiative" in exact.text
    assert "über" not in exact.text.split('id="ergebnisse"')[1].split("</h2>")[0]


def test_the_export_of_a_search_holds_every_match_beyond_the_cap(viewer, many_matches):
    rows = list(
        csv.reader(io.StringIO(body_of(viewer.get(url("initiative_export_csv"), {"q": "Antrag"}))))
    )
    assert len(rows) - 1 == 8


def test_a_search_reads_search_vectors_only_where_the_words_are_not_in_title_or_summary(
    viewer, many_matches
):
    """Issue 20: the words' stems are tested before the search vector (stored apart), and the
    newest matches are ranked without being tested again – one full-text test per query."""
    found = selectors.search(Initiative.objects.all(), "Antrag")
    ranked = selectors.by_relevance(found, "Antrag", candidates=selectors.SEARCH_CAP)
    if connection.vendor == "postgresql":
        where = str(found.query).split(" WHERE ", 1)[1]
        assert where.index("LIKE") < where.index("@@")
        assert str(ranked.values("pk").query).count("@@") == 1
    assert list(ranked.values_list("title", flat=True)) == [
        f"Antrag Nummer {number}" for number in range(7, 2, -1)
    ]


def test_a_search_whose_count_read_every_match_ranks_them_by_id_without_searching_again(
    viewer, monkeypatch
):
    """Issue 20: with fewer matches than the count reads (cap + 1 per field of work), the page
    takes the counted matches by id – the same list, order and count as searching again."""
    monkeypatch.setattr(selectors, "SEARCH_CAP", 5)
    areas = [AreaFactory(name="Online-Dienste"), AreaFactory(name="Basisdienste")]
    for number in range(9):
        InitiativeFactory(
            area=areas[number % 2],
            title=f"Antrag Nummer {number}" if number % 3 else f"Vorhaben {number}",
            summary="Ein Antrag." if number % 3 == 0 else "Antragsverfahren online.",
        )
    InitiativeFactory(area=areas[0], title="Fachverfahren Elterngeld", summary="Ablösen.")

    for parameters in ({}, {"area": areas[1].slug}, {"sort": "titel"}):
        with CaptureQueriesContext(connection) as queries:
            response = viewer.get(url("initiative_list"), {"q": "Antrag", **parameters})
        found = selectors.search(Initiative.objects.all(), "Antrag")
        if "area" in parameters:
            found = found.filter(area=areas[1])
        if "sort" in parameters:
            expected = found.order_by("title", "id")[:5]
        else:
            expected = selectors.by_relevance(found, "Antrag", candidates=selectors.SEARCH_CAP)
        expected = list(expected.values_list("title", flat=True))
        assert titles(response) == expected
        assert response.context["paginator"].count == len(expected)
        if connection.vendor == "postgresql":
            # The words are tested in one query only: the count's.
            assert sum(" LIKE " in query["sql"] for query in queries.captured_queries) == 1
            if "sort" not in parameters:
                # The newest candidates come from the count's rows: the ranking sorts only
                # them, without first sorting every match by age.
                ranking = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
                assert ranking
                assert all(sql.count("ORDER BY") == 1 for sql in ranking)
