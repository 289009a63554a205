"""/aktivitaeten/: the person's activity (the digest's rules) in pages, filtered by partner,
field of work and kind in the URL; and the personal Atom feed behind its signed link."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from initiatives import services as initiative_services
from kooperation.feed import feed_path
from kooperation.models import OverviewState
from kooperation.overview_views import ACTIVITY_PER_PAGE
from partners.models import Partner
from tests.factories import PartnerFactory, UserFactory, propose

ATOM = "{http://www.w3.org/2005/Atom}"


def texts(response):
    return [item.text for item in response.context["page_obj"].object_list]


def test_the_activity_page_pages_through_everything_newest_first(coop, client):
    for number in range(ACTIVITY_PER_PAGE + 3):
        propose(coop.staff_b, coop.basis, title=f"Vorschlag {number:02d}")
    client.force_login(coop.staff_a)

    first = client.get(reverse("activity"))
    second = client.get(reverse("activity"), {"page": 2})

    assert first.context["page_obj"].paginator.count == ACTIVITY_PER_PAGE + 3
    assert texts(first)[0] == "Stadt Bedorf schlägt „Vorschlag 27“ vor."
    assert texts(second) == [
        f"Stadt Bedorf schlägt „Vorschlag {number:02d}“ vor." for number in (2, 1, 0)
    ]


def test_the_activity_page_filters_by_partner_field_and_kind(coop, client):
    cedorf = PartnerFactory(name="Stadt Cedorf", slug="cedorf")
    staff_c = UserFactory(partner=cedorf)
    propose(coop.staff_b, coop.basis, title="Basis aus Bedorf")
    propose(coop.staff_b, coop.online, title="Online aus Bedorf")
    followed = propose(staff_c, coop.online, title="Online aus Cedorf")
    initiative_services.follow(initiative=followed, user=coop.staff_a)
    initiative_services.comment_add(initiative=followed, author=coop.staff_b, body="Gern.")
    client.force_login(coop.staff_a)

    def shown(**query):
        return texts(client.get(reverse("activity"), query))

    assert len(shown()) == 4
    assert shown(partner="cedorf") == ["Stadt Cedorf schlägt „Online aus Cedorf“ vor."]
    assert shown(feld=coop.basis.slug) == ["Stadt Bedorf schlägt „Basis aus Bedorf“ vor."]
    assert shown(art="discussion") == [
        "Berta Bedorf (Stadt Bedorf) hat „Online aus Cedorf“ kommentiert."
    ]
    assert len(shown(feld=coop.online.slug, partner=coop.b.slug)) == 2
    assert shown(partner="gibt-es-nicht") == []


def test_an_invalid_filter_is_left_out_with_a_note(coop, client):
    propose(coop.staff_b, coop.basis, title="Basis aus Bedorf")
    client.force_login(coop.staff_a)
    response = client.get(reverse("activity"), {"art": "erfunden", "partner": "a\x00b"})
    assert response.status_code == 200
    assert "Ungültige Filter" in response.text
    assert texts(response) == ["Stadt Bedorf schlägt „Basis aus Bedorf“ vor."]
    response = client.get(reverse("activity"), {"art": "erfunden", "partner": coop.a.slug})
    assert texts(response) == []  # the valid filter holds: nothing at Adorf


def test_the_activity_page_is_for_people_of_the_partners_and_the_office(client, db):
    former = PartnerFactory(status=Partner.Status.FORMER)
    client.force_login(UserFactory(partner=former))
    assert client.get(reverse("activity")).status_code == 403


def feed_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_the_feed_shows_the_persons_activity_without_signing_in(coop, client):
    propose(coop.staff_b, coop.basis, title="Für den Feed")
    propose(coop.staff_a, coop.basis, title="Eigener Vorschlag")
    state = OverviewState.objects.create(user=coop.staff_a)

    assert feed_of(client, feed_path(state)) == ["Stadt Bedorf schlägt „Für den Feed“ vor."]


def test_a_new_feed_link_invalidates_the_old_one(coop, client):
    state = OverviewState.objects.create(user=coop.staff_a)
    old = feed_path(state)
    client.force_login(coop.staff_a)
    assert old in client.get(reverse("account")).text

    response = client.post(reverse("feed_key_renew"))

    assert response.url == reverse("account")
    new = feed_path(OverviewState.objects.get(user=coop.staff_a))
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get(new.replace(str(coop.staff_a.pk), str(coop.staff_b.pk), 1)).status_code == 404


def test_the_feed_link_of_someone_who_left_stops_working(coop, client):
    state = OverviewState.objects.create(user=coop.staff_a)
    coop.staff_a.is_active = False
    coop.staff_a.save(update_fields=["is_active"])
    assert client.get(feed_path(state)).status_code == 404


@pytest.mark.parametrize("rows", [2, 60])
def test_the_activity_page_runs_a_fixed_number_of_queries(coop, client, rows):
    for number in range(rows):
        propose(coop.staff_b, coop.basis, title=f"Vorschlag {number}")
    client.force_login(coop.head_a)
    client.get(reverse("activity"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("activity"), {"page": 2 if rows > 30 else 1})
    assert len(captured) <= 16
