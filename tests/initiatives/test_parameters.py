"""Parameters from the address are checked before any query: invalid ones answer 400 (the
exports) or are ignored with a message (the pages), and never reach the cache's keys."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from initiatives import caching
from initiatives.filters import filter_choices
from initiatives.models import Initiative
from tests.factories import (
    AreaFactory,
    InitiativeFactory,
    ParticipationFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name) -> str:
    return reverse(f"initiatives:{name}")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def member(db):
    return UserFactory(partner=PartnerFactory(slug="aheim", name="Stadt Aheim"))


def cached_list_entries(part: str = "") -> list[str]:
    """The keys of rendered list pages in the cache (Redis or local memory); with part="filters:"
    those of the counts and filter form that every page of a filter combination shares."""
    backend = getattr(caching, "cache", cache)
    if hasattr(backend._cache, "get_client"):
        keys = [key.decode() for key in backend._cache.get_client().keys("*")]
    else:
        keys = list(backend._cache.keys())
    return [
        key
        for key in keys
        if f"{caching.LIST}:{part}" in key
        # The version, and the filters' choices: one entry whatever the address.
        and not key.endswith((":version", ":filter-choices"))
        and (part or ":filters:" not in key)
    ]


NUL_ADDRESSES = [
    ("initiative_list", {"partner": "\x00"}),
    ("initiative_list", {"lead": "\x00"}),
    ("initiative_list", {"lead": "aheim\x00"}),
    ("initiative_list", {"area": "\x00"}),
    ("initiative_create", {"area": "\x00"}),
    ("initiative_create", {"area": "basis", "product": "E-Akte\x00"}),
]


@pytest.mark.parametrize(("name", "params"), NUL_ADDRESSES)
def test_nul_bytes_in_the_address_are_ignored_with_a_message(client, member, name, params):
    client.force_login(member)
    response = client.get(url(name), params)
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] != []
    assert "ungültig" in response.text.lower()


def test_nul_bytes_in_the_directory_search_are_ignored_with_a_message(client, member):
    PartnerFactory(name="Stadt Braunschweig")
    response = client.get(reverse("partners:partner_list"), {"q": "Braun\x00"})
    assert response.status_code == 200
    assert "Der Suchbegriff ist ungültig" in response.text
    assert "Stadt Braunschweig" in response.text  # the whole directory, unfiltered


@pytest.mark.parametrize("export", ["initiative_export_csv", "initiative_export_json"])
@pytest.mark.parametrize(
    "params",
    [{"partner": "\x00"}, {"lead": "\x00"}, {"area": "gibt-es-nicht"}, {"q": "Wohn\x00geld"}],
)
def test_an_export_with_invalid_filters_answers_400_before_any_download(
    client, member, export, params
):
    InitiativeFactory(proposer=member)
    client.force_login(member)
    response = client.get(url(export), params)
    assert response.status_code == 400
    assert not response.streaming
    assert "Content-Disposition" not in response
    assert "Die Filterangaben in der Adresse sind ungültig." in response.text


def test_an_unknown_parameter_does_not_stop_an_export(client, member):
    InitiativeFactory(proposer=member, title="Zentrale E-Akte")
    client.force_login(member)
    response = client.get(url("initiative_export_json"), {"unbekannt": "\x00"})
    assert response.status_code == 200
    assert [item["title"] for item in json.loads(body_of(response))["initiatives"]] == [
        "Zentrale E-Akte"
    ]


# Point 7: every CSV cell neutralised, dates as TT.MM.JJJJ (ISO in JSON)


@pytest.fixture
def formula_initiative(db):
    lead = PartnerFactory(name='=HYPERLINK("http://x","y")', slug="formel")
    area = AreaFactory(name="+Arbeitsfeld", slug="formelfeld")
    initiative = InitiativeFactory(
        proposer=UserFactory(partner=lead),
        area=area,
        ozg_reference="-OZG",
        target_date=datetime.date(2027, 3, 1),
    )
    ParticipationFactory(initiative=initiative, partner=lead)
    moment = timezone.make_aware(datetime.datetime(2026, 1, 2, 23, 30))  # Berlin time
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=moment, last_activity_at=moment + datetime.timedelta(days=1)
    )
    return initiative


def test_every_csv_cell_is_neutralised_and_dates_are_german(client, member, formula_initiative):
    client.force_login(member)
    response = client.get(url("initiative_export_csv"))
    rows = list(
        csv.reader(io.StringIO(body_of(response).decode().removeprefix("\ufeff")), delimiter=";")
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Federführung"] == '\'=HYPERLINK("http://x","y")'
    assert row["Arbeitsfeld"] == "'+Arbeitsfeld"
    assert row["Beteiligte Partner"] == '\'=HYPERLINK("http://x","y") (Interessiert)'
    assert row["OZG-Bezug"] == "'-OZG"
    assert row["Zieldatum"] == "01.03.2027"
    assert row["Vorgeschlagen am"] == "02.01.2026"
    assert row["Letzte Aktivität"] == "03.01.2026"


def test_json_export_keeps_names_as_they_are_and_dates_in_iso(client, member, formula_initiative):
    client.force_login(member)
    item = json.loads(body_of(client.get(url("initiative_export_json"))))["initiatives"][0]
    assert item["lead_partner"] == '=HYPERLINK("http://x","y")'
    assert item["target_date"] == "2027-03-01"
    assert item["created_at"] == "2026-01-02T23:30:00+01:00"
    assert item["last_activity_at"] == "2026-01-03T23:30:00+01:00"


# Point 9: only valid, cleaned filter combinations are cached


def test_junk_filter_values_make_no_cache_entries(client, member):
    InitiativeFactory(proposer=member)
    client.force_login(member)
    junk = [{"area": f"feld-{number}"} for number in range(5)] + [
        {"partner": "\x00"},
        {"lead": "gibt-es-nicht"},
        {"status": "erfunden"},
        {"sort": "quer"},
        {"page": "abc"},
        {"page": "0"},
    ]
    for params in junk:
        assert client.get(url("initiative_list"), params).status_code in (200, 404)
    assert cached_list_entries() == []


def test_one_valid_filter_combination_is_one_cache_entry_in_any_spelling(client, member):
    area = AreaFactory(slug="basis")
    for _ in range(21):  # two pages
        InitiativeFactory(proposer=member, area=area)
    client.force_login(member)
    spellings = [
        "?status=proposed&status=active&lead=aheim&area=basis",
        "?area=basis&lead=aheim&status=active&status=proposed",
        "?lead=aheim&status=proposed&area=basis&status=active&unbekannt=1&page=1",
    ]
    for query in spellings:
        assert client.get(url("initiative_list") + query).status_code == 200
    assert len(cached_list_entries()) == 1
    assert len(cached_list_entries("filters:")) == 1
    assert client.get(url("initiative_list") + spellings[0] + "&page=2").status_code == 200
    assert len(cached_list_entries()) == 2  # another page, sharing the filters
    assert len(cached_list_entries("filters:")) == 1


def test_the_filters_choices_are_read_once_per_list_version(
    member, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Issue 20: the fields of work and partners the filters offer come from the cache until a
    field of work or a partner changes (a new version of the list's cache)."""
    AreaFactory(name="Basisdienste")
    areas, partners = filter_choices()
    assert ("aheim", "Stadt Aheim") in partners
    with django_assert_num_queries(0):
        assert filter_choices() == (areas, partners)
    with django_capture_on_commit_callbacks(execute=True):
        PartnerFactory(slug="behausen", name="Stadt Behausen")
        AreaFactory(name="Online-Dienste")
    areas, partners = filter_choices()
    assert ("behausen", "Stadt Behausen") in partners
    assert [area.name for area in areas] == ["Basisdienste", "Online-Dienste"]
