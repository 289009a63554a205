"""What keeps the pages fast for a national cooperation: the cached list and its invalidation,
partner filters that do not list 11,000 partners, bounded common ground, Markdown rendered
when saved."""

import html
import itertools
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import caching, services
from initiatives.common_ground import SHARED_PARTNERS_SHOWN
from initiatives.filters import PARTNER_CHOICES_LIMIT, InitiativeFilter
from initiatives.models import Initiative
from initiatives.pagination import IdsFirstPaginator
from partners import markdown
from tests.factories import (
    AreaFactory,
    InitiativeFactory,
    ParticipationFactory,
    PartnerFactory,
    SolutionFactory,
    UserFactory,
    propose,
)

LIST = reverse("initiatives:initiative_list")


def titles(response):
    return [initiative.title for initiative in response.context["initiatives"]]


@pytest.mark.django_db(transaction=True)  # the cache's version changes when a change commits
def test_the_cached_list_shows_a_change_at_once_and_costs_no_query_until_then():
    area = AreaFactory()
    staff = UserFactory()
    client = Client()
    client.force_login(staff)
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        assert "Noch gibt es keine Initiativen" in client.get(LIST).text
    assert not any("initiatives_initiative" in q["sql"] for q in queries.captured_queries)

    propose(staff, area, title="Wohngeld digital")
    assert "Wohngeld digital" in client.get(LIST).text


@pytest.mark.django_db
def test_other_parameters_share_the_cached_page_and_do_not_get_into_it():
    area = AreaFactory()
    for number in range(25):
        InitiativeFactory(area=area, title=f"Initiative {number:02d}")
    client = Client()
    client.force_login(UserFactory())
    first = client.get(LIST, {"sort": "titel", "utm_source": "gift"})
    assert "gift" not in first.text  # not in the pagination links of the cached page
    assert "page=2" in first.text
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"utm_source": "newsletter", "sort": "titel"})
    assert not any("initiatives_initiative" in q["sql"] for q in queries.captured_queries)

    def key(query):  # the key comes from the filter form's cleaned values (issue 15, point 9)
        filters = InitiativeFilter(QueryDict(query), queryset=Initiative.objects.all())
        assert filters.is_valid()
        return caching.list_page_key(filters.cache_key_items(), "1", False)

    assert key("sort=titel&utm_source=x") == key("sort=titel")


@pytest.mark.django_db
def test_the_ids_first_paginator_keeps_order_and_annotations():
    area = AreaFactory()
    for number in range(45):
        InitiativeFactory(area=area, title=f"Initiative {number:02d}")
    queryset = Initiative.objects.for_list().order_by("title")
    page = IdsFirstPaginator(queryset, 20).page(2)
    assert [i.title for i in page] == [f"Initiative {n:02d}" for n in range(20, 40)]
    assert page.paginator.num_pages == 3
    assert [i.title for i in IdsFirstPaginator(queryset, 20).page(3)][-1] == "Initiative 44"


@pytest.mark.django_db
def test_the_number_of_results_comes_from_the_counts_per_field_without_a_count_query(client):
    basis, online = AreaFactory(slug="basisdienste"), AreaFactory(slug="online-dienste")
    for area, status, number in [
        (basis, "active", 3),
        (basis, "proposed", 2),
        (online, "active", 4),
    ]:
        for _ in range(number):
            InitiativeFactory(area=area, status=status, title="Antrag auf Wohngeld")
    InitiativeFactory(area=online, status="proposed", title="Fachverfahren Elterngeld")
    client.force_login(UserFactory())
    expected = {
        "": 10,
        "area=basisdienste": 5,
        "area=basisdienste&area=online-dienste": 10,
        "area=online-dienste&area=online-dienste": 5,
        "status=active": 7,
        "area=online-dienste&status=proposed": 1,
        "area=unbekannt&status=active": 7,  # an invalid field is no filter (with an error)
        "q=Elterngeld": 1,
        "q=Elterngeld&area=basisdienste": 0,
    }
    for query, number in expected.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{LIST}?{query}")
        assert response.context["paginator"].count == number, query
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        # The counts per field only; a search lists the fields of up to SEARCH_CAP matches each.
        assert len(counts) == (0 if query.startswith("q=") else 1), counts


@pytest.mark.django_db
def test_the_number_of_results_is_right_under_every_pair_of_filters(client):
    areas = [AreaFactory(slug=slug) for slug in ("a1", "a2", "a3")]
    adorf, bedorf = PartnerFactory(slug="adorf"), PartnerFactory(slug="bedorf")
    proposers = [UserFactory(partner=adorf), UserFactory(partner=bedorf)]
    made = [
        InitiativeFactory(
            area=area,
            status=status,
            proposer=proposer,
            title=f"Wohngeld {n}" if n % 2 else f"Elterngeld {n}",
            ozg_reference="OZG-1" if n % 3 else "",
        )
        for n, (area, status, proposer) in enumerate(
            itertools.product(areas, ["proposed", "active", "paused"], proposers)
        )
    ]
    for initiative in made[::2]:
        ParticipationFactory(initiative=initiative, partner=bedorf, stage="committed")
    client.force_login(UserFactory())
    parameters = [
        *["q=Wohngeld", "q=%20", "area=a1", "area=a1&area=a2", "area=a1&area=a1", "area=zz"],
        *["area=a1&area=a2&area=a3", "status=active", "status=bogus", "lead=adorf"],
        *["lead=adorf,bedorf", "lead=zz", "partner=bedorf", "ozg=OZG", "sort=titel", "page=2"],
    ]
    wrong = []
    for pair in itertools.combinations(parameters, 2):
        query = "&".join(pair)
        caches["pages"].clear()
        response = client.get(f"{LIST}?{query}")
        if response.status_code == 404:  # page 2 of a short result
            continue
        real = response.context["view"].filterset.qs.count()
        if response.context["paginator"].count != real:
            wrong.append((query, real, response.context["paginator"].count))
    assert not wrong


@pytest.mark.django_db
def test_with_many_partners_the_partner_filters_are_text_fields(client):
    partners = PartnerFactory.create_batch(PARTNER_CHOICES_LIMIT + 1)
    staff = UserFactory(partner=partners[0])
    lead = InitiativeFactory(proposer=staff, title="Von Partner null")
    InitiativeFactory(proposer=UserFactory(partner=partners[1]), title="Von Partner eins")
    client.force_login(staff)

    response = client.get(LIST)
    assert response.text.count("<option") < 10  # no list of every partner
    assert 'name="lead"' in response.text
    assert "Kurzname aus dem Partnerverzeichnis" in response.text

    response = client.get(LIST, {"lead": f" {partners[0].slug}, {partners[1].slug} "})
    assert sorted(titles(response)) == ["Von Partner eins", "Von Partner null"]
    assert f'value="{partners[0].slug}, {partners[1].slug}"' in response.text
    response = client.get(LIST, {"lead": partners[0].slug})
    assert titles(response) == [lead.title]

    response = client.get(LIST, {"lead": "gibt-es-nicht"})
    assert "gültige Auswahl" in html.unescape(response.text)
    assert "gibt-es-nicht" in html.unescape(response.text)


@pytest.mark.django_db
def test_with_few_partners_the_partner_filters_are_checkboxes_like_the_others(client):
    partners = PartnerFactory.create_batch(PARTNER_CHOICES_LIMIT)
    staff = UserFactory(partner=partners[0])
    InitiativeFactory(proposer=staff, title="Von Partner null")
    InitiativeFactory(proposer=UserFactory(partner=partners[1]), title="Von Partner eins")
    InitiativeFactory(proposer=UserFactory(partner=partners[2]), title="Von Partner zwei")
    client.force_login(staff)
    response = client.get(LIST)
    assert [tag for tag in re.findall(r"<select[^>]*>", response.text) if "multiple" in tag] == []
    for name in ("lead", "partner"):
        for partner in partners:
            assert f'type="checkbox" name="{name}" value="{partner.slug}"' in response.text
    response = client.get(LIST, {"lead": [partners[0].slug, partners[1].slug]})
    assert sorted(titles(response)) == ["Von Partner eins", "Von Partner null"]
    checked = re.findall(
        r'<input type="checkbox" name="lead" value="([^"]+)"[^>]* checked', response.text
    )
    assert sorted(checked) == sorted([partners[0].slug, partners[1].slug])


@pytest.mark.django_db
def test_a_product_many_partners_run_names_a_few_and_counts_the_rest(client):
    area = AreaFactory()
    partners = PartnerFactory.create_batch(SHARED_PARTNERS_SHOWN + 5)
    for partner in partners:
        SolutionFactory(partner=partner, area=area, product="ePayBL")
    client.force_login(UserFactory(partner=partners[0]))
    response = client.get(reverse("initiatives:common_ground"))
    [entry] = dict(response.context["shared"])[area]
    assert entry.partner_count == len(partners)
    assert len(entry.partners) == SHARED_PARTNERS_SHOWN
    assert [p.name for p in entry.partners] == sorted(p.name for p in partners)[:12]
    assert f"{len(partners)} Partner" in response.text
    assert "und 5 weitere" in response.text


@pytest.mark.django_db
def test_markdown_is_rendered_once_when_saved_and_not_when_read(client, monkeypatch):
    risky = "**fett** und <script>alert(1)</script>"
    staff = UserFactory()
    initiative = InitiativeFactory(proposer=staff, description=risky)
    comments = [
        services.comment_add(initiative=initiative, author=staff, body=body)
        for body in (risky, "Zweiter", risky)
    ]
    assert initiative.description_html == markdown.render_markdown(risky)
    assert [comment.body_html for comment in comments] == [
        markdown.render_markdown(comment.body) for comment in comments
    ]
    assert "<script>" not in comments[0].body_html
    assert "<strong>fett</strong>" in comments[0].body_html

    def not_again(text):
        raise AssertionError("rendered again")

    monkeypatch.setattr(markdown, "render_markdown", not_again)
    client.force_login(staff)
    page = client.get(reverse("initiatives:initiative_detail", args=[initiative.pk])).text
    assert page.count("<p><strong>fett</strong> und </p>") == 3  # description and two comments


@pytest.mark.django_db(transaction=True)
def test_renaming_a_partner_or_a_field_or_a_new_participation_shows_in_the_cached_list():
    area = AreaFactory(name="Basisdienste")
    staff = UserFactory()
    other = UserFactory()
    initiative = propose(staff, area, title="Wohngeld digital")
    client = Client()
    client.force_login(staff)
    assert "Basisdienste" in client.get(LIST).text
    staff.partner.name = "Stadt Umbenannt"
    staff.partner.save()
    assert "Stadt Umbenannt" in client.get(LIST).text
    area.name = "Grunddienste"
    area.save()
    assert "Grunddienste" in client.get(LIST).text
    services.participation_set(initiative=initiative, actor=other, stage="interested")
    assert other.partner.name in client.get(LIST).text


@pytest.mark.django_db
def test_searches_are_not_cached():
    AreaFactory()  # without a field of work a search has nothing to count, and asks nothing
    client = Client()
    client.force_login(UserFactory())
    client.get(LIST, {"q": "Wohngeld"})
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"q": "Wohngeld"})
    assert any("initiatives_initiative" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_comment_that_sanitises_to_nothing_is_shown_empty(client):
    assert markdown.render_markdown("<!-- nichts -->") == ""
    staff = UserFactory()
    initiative = InitiativeFactory(proposer=staff)
    services.comment_add(initiative=initiative, author=staff, body="<script>x()</script>")
    client.force_login(staff)
    detail = reverse("initiatives:initiative_detail", args=[initiative.pk])
    assert client.get(detail).status_code == 200
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_kurznamen_are_read_without_regard_to_capitals(client):
    partners = PartnerFactory.create_batch(PARTNER_CHOICES_LIMIT + 1)
    staff = UserFactory(partner=partners[0])
    InitiativeFactory(proposer=staff, title="Von Partner null")
    client.force_login(staff)
    response = client.get(LIST, {"lead": partners[0].slug.upper()})
    assert titles(response) == ["Von Partner null"]
    response = client.get(LIST, {"lead": "falsch-eins, falsch-zwei"})
    assert "falsch-eins, falsch-zwei" in html.unescape(response.text)


@pytest.mark.django_db
def test_comments_come_in_pages_the_newest_first_and_links_find_their_page(client):
    from initiatives.selectors import COMMENTS_PER_PAGE
    from tests.factories import CommentFactory

    staff = UserFactory()
    initiative = InitiativeFactory(proposer=staff)
    comments = [
        CommentFactory(initiative=initiative, author=staff, body=f"Beitrag {n:03d}")
        for n in range(COMMENTS_PER_PAGE + 5)
    ]
    client.force_login(staff)
    detail = reverse("initiatives:initiative_detail", args=[initiative.pk])
    newest = client.get(detail)
    assert f"{len(comments)} Kommentare" in newest.text
    assert "Beitrag 054" in newest.text
    assert "Beitrag 004" not in newest.text
    assert "Kommentarseite 2 von 2" in newest.text
    oldest = client.get(detail, {"kommentare": "1"})
    assert "Beitrag 000" in oldest.text
    assert "Beitrag 050" not in oldest.text
    # A comment's lasting link leads to its page and anchor.
    link = reverse("initiatives:comment_link", args=[comments[3].pk])
    assert client.get(link).url == f"{detail}?kommentare=1#kommentar-{comments[3].pk}"
    link = reverse("initiatives:comment_link", args=[comments[-1].pk])
    assert client.get(link).url == f"{detail}?kommentare=2#kommentar-{comments[-1].pk}"
    assert client.get(detail, {"kommentare": "abc"}).status_code == 200
