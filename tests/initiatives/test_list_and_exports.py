"""Finding initiatives: filters, search, sorting and pagination of the list, and its exports."""

import csv
import html
import io
import json
import re

import pytest
from django.db import connection

from tests.factories import (
    InitiativeFactory,
)
from tests.initiatives.helpers import (
    Status,
    body_of,
    titles,
    url,
)

pytestmark = pytest.mark.django_db


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
    exported = client.get(url("initiative_export_json"), {"q": "Meldewesen"})
    assert [row["title"] for row in json.loads(body_of(exported))["initiatives"]] == by_relevance
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
