"""The text search: parts of German compounds find their words (issue 18, item 10), matches in
the title first; a word that nearly every initiative holds costs no more than a few (issue 20,
item 3): at most SEARCH_CAP matches are counted and ranked ("über 1.000"), plain words by a
score the count computes, without a ranking query."""

import csv
import io
import json

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


def exported_titles(client, parameters) -> list[str]:
    exported = json.loads(body_of(client.get(url("initiative_export_json"), parameters)))
    return [initiative["title"] for initiative in exported["initiatives"]]


def test_title_matches_come_before_summary_matches_before_the_rest_newest_first(viewer):
    """Issue 20: plain words are ranked by where their stems are – title (also as part of a
    compound) before summary before only the description –, newest first within; the list
    and the export alike."""
    InitiativeFactory(title=PARKING, summary="Für alle.")
    InitiativeFactory(title="Online-Dienst", summary="Für Parkausweise.")
    InitiativeFactory(title="Fachverfahren", summary="Ablösen.", description="Der Parkausweis.")
    InitiativeFactory(title="Parkausweis digital", summary="Für alle.")
    InitiativeFactory(title="Bewohnerdienst", summary="Anwohnerparkausweise online.")
    found = titles(viewer.get(url("initiative_list"), {"q": "Parkausweis"}))
    if connection.vendor == "postgresql":
        assert found == [
            "Parkausweis digital",
            PARKING,
            "Bewohnerdienst",
            "Online-Dienst",
            "Fachverfahren",
        ]
    else:  # SQLite has no ranking: newest first
        assert found == [
            "Bewohnerdienst",
            "Parkausweis digital",
            "Fachverfahren",
            "Online-Dienst",
            PARKING,
        ]
    assert exported_titles(viewer, {"q": "Parkausweis"}) == found


def test_exact_matches_come_before_parts_of_compounds(viewer):
    """Issue 18: a word of the title that starts with the stem before a compound holding it,
    also when the compound is newer."""
    exact = InitiativeFactory(title="Parkausweis digital", summary="Für alle.")
    InitiativeFactory(title=PARKING, summary="Für alle.")  # newer
    found = titles(viewer.get(url("initiative_list"), {"q": "Parkausweis"}))
    if connection.vendor == "postgresql":
        assert found == [exact.title, PARKING]
    else:  # SQLite has no ranking: newest first
        assert found == [PARKING, exact.title]


def test_each_word_adds_to_the_rank(viewer):
    """Two words in the title before one in the title and one in the summary, before one
    word in the title only (the other in the description)."""
    InitiativeFactory(title="Antrag online", summary="Für alle.", description="Zum Wohngeld.")
    InitiativeFactory(title="Antrag online", summary="Zum Wohngeld.")
    InitiativeFactory(title="Wohngeld: Antrag online", summary="Für alle.")
    InitiativeFactory(title="Antrag online", summary="Für alle.", description="Zum Wohngeld.")
    found = viewer.get(url("initiative_list"), {"q": "Antrag Wohngeld"}).context["initiatives"]
    ordered = Initiative.objects.order_by("created_at", "id")
    if connection.vendor == "postgresql":
        expected = [ordered[2], ordered[1], ordered[3], ordered[0]]
    else:
        expected = [ordered[3], ordered[2], ordered[1], ordered[0]]
    assert [initiative.pk for initiative in found] == [initiative.pk for initiative in expected]


def test_a_stem_with_a_like_wildcard_is_looked_for_as_written(viewer):
    """ "_" is a word character, so a plain word; in the rank's LIKE it stays an underscore."""
    InitiativeFactory(title="Schnittstelle xoev_melde", summary="Für alle.")
    InitiativeFactory(title="Schnittstelle xoevameldeamt", summary="Mit xoev_melde.")
    found = titles(viewer.get(url("initiative_list"), {"q": "xoev_melde"}))
    if connection.vendor == "postgresql":
        assert found == ["Schnittstelle xoev_melde", "Schnittstelle xoevameldeamt"]


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


def test_a_search_whose_count_read_every_match_ranks_them_without_a_ranking_query(
    viewer, monkeypatch
):
    """Issue 20: with fewer matches than the count reads (cap + 1 per field of work), the page
    takes the counted matches by id, ranked by the score the count computed – the same list,
    order and count as searching again, and as the export."""
    monkeypatch.setattr(selectors, "SEARCH_CAP", 5)
    areas = [AreaFactory(name="Online-Dienste"), AreaFactory(name="Basisdienste")]
    for number in range(9):
        InitiativeFactory(
            area=areas[number % 2],
            title=f"Antrag Nummer {number}" if number % 3 else f"Vorhaben {number}",
            summary="Ein Antrag." if number % 3 == 0 else "Antragsverfahren online.",
        )
    # Found by its description only (the factory's: "Anträge").
    InitiativeFactory(area=areas[0], title="Fachverfahren Elterngeld", summary="Ablösen.")
    InitiativeFactory(area=areas[1], title="Vorhaben", summary="Neu.", description="Ein Antrag.")

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
            # No query ranks: neither by full-text rank nor by sorting the matches.
            assert not any("ts_rank" in query["sql"] for query in queries.captured_queries)
            if "sort" not in parameters:
                assert not any(
                    "unnest" in q["sql"] and "ORDER BY" in q["sql"]
                    for q in queries.captured_queries
                )
        # (After the queries: a request clears the log of the one before.)
        exported = exported_titles(viewer, {"q": "Antrag", **parameters})
        if "sort" in parameters:
            assert exported[:5] == expected
        elif "area" in parameters:  # all five matches ranked: as on the page
            assert exported == expected
        else:  # the export ranks every match, the page only the newest five (the cap)
            every = selectors.by_relevance(found, "Antrag").values_list("title", flat=True)
            assert exported == list(every)
            assert [title for title in exported if title in expected] == expected
    if connection.vendor == "postgresql":
        # The five newest matches: a title match before a summary match before one in the
        # description only, newest first within.
        assert titles(viewer.get(url("initiative_list"), {"q": "Antrag"})) == [
            "Antrag Nummer 8",
            "Antrag Nummer 7",
            "Vorhaben 6",
            "Vorhaben",
            "Fachverfahren Elterngeld",
        ]


def test_a_phrase_is_still_ranked_by_its_full_text_rank(viewer):
    """A phrase, an exclusion or "or" has no stems to score: full-text rank, as before."""
    InitiativeFactory(title="Vorhaben", summary="Neu.", description="Der digitale Antrag.")
    InitiativeFactory(title="Der digitale Antrag", summary="Für alle.")
    InitiativeFactory(title="Anderes", summary="Neu.", description="Ein digitaler Antrag.")
    with CaptureQueriesContext(connection) as queries:
        found = titles(viewer.get(url("initiative_list"), {"q": '"digitale Antrag"'}))
    if connection.vendor == "postgresql":
        assert found == ["Der digitale Antrag", "Anderes", "Vorhaben"]
        assert any("ts_rank" in query["sql"] for query in queries.captured_queries)
    else:
        assert found == []


def test_a_search_that_counted_every_match_reads_the_initiatives_twice(
    viewer, django_assert_max_num_queries
):
    """Issue 20: no query ranks or sorts the matches. A search reads initiatives in two
    queries – the count, with each match's id and score, and the page's 20 rows by id – and
    asks for its words' stems once per process."""
    for number in range(25):
        InitiativeFactory(title=f"Antrag Nummer {number}", summary="Für alle.")
    viewer.get(url("initiative_list"))  # the first request of the session
    selectors._compound_parts.cache_clear()
    # Session, person, fields of work, partners, stems, count, page rows, participations.
    with django_assert_max_num_queries(8) as searched:
        response = viewer.get(url("initiative_list"), {"q": "Antrag", "page": "2"})
    assert len(titles(response)) == 5
    if connection.vendor == "postgresql":
        reads = [
            q["sql"]
            for q in searched.captured_queries
            if 'FROM "initiatives_initiative"' in q["sql"]
        ]
        assert len(reads) == 2
        assert "LIMIT" in reads[0]  # the count
        assert "ORDER BY" not in reads[0]
        assert " LIKE " not in reads[1]  # the page's rows, by id: not searched again
        assert "@@" not in reads[1]


def test_the_count_scores_its_matches_as_the_ranking_query_scores_them(viewer):
    """Issue 20: count_matches scores the rows it reads in Python (score_of), the exports and
    the pages beyond the cap in SQL (score): the same points for every match."""
    area = AreaFactory(name="Online-Dienste")
    for title, summary in [
        ("Antrag auf Wohngeld", "Für alle."),
        ("ANTRAG online", "Das Wohngeldverfahren."),
        ("Wohngeldantrag digital", "Mit Antragsassistent."),
        ("Der Bauantrag", "Kein Wohngeld."),
        ("Über-Antrag_2", "wohngeld_neu"),
        ("Fachverfahren", "Ablösen."),
    ]:
        InitiativeFactory(area=area, title=title, summary=summary, description="Antrag Wohngeld")
    text = "Antrag Wohngeld"
    found = selectors.search(Initiative.objects.all(), text)
    counted = selectors.count_matches(found, [area], cap=100, text=text)[1]
    assert len(counted) == 6
    if connection.vendor == "postgresql":
        in_sql = dict(found.annotate(points=selectors.score(text)).values_list("pk", "points"))
        assert {pk: points for _area, pk, _age, points in counted} == in_sql
        assert sorted(in_sql.values()) == [0, 3, 4, 4, 5, 6]
    else:
        assert {points for *_rest, points in counted} == {0}
