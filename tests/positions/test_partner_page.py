"""The partner page lists the positions the partner co-signed – for visitors only the published
ones – at a cost that does not grow with their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from positions import services
from tests.factories import draft_position
from tests.positions.helpers import cosigned, in_a_week

pytestmark = pytest.mark.django_db


def partner_page(client, partner):
    return client.get(reverse("partners:partner_detail", args=[partner.slug])).text


def test_visitors_see_the_published_positions_a_partner_cosigned(client, world):
    page = partner_page(client, world.partner_b)
    assert "Mitgezeichnete Positionen" in page
    assert "Preise der Fachverfahren" in page  # published
    assert "Schnittstelle XMeld" not in page  # sent, not published
    assert "Registermodernisierung" not in page  # co-signed, not yet sent


def test_members_see_every_sent_position_a_partner_cosigned_and_not_the_declined(client, world):
    client.force_login(world.staff_c)
    page = partner_page(client, world.partner_b)
    assert "Preise der Fachverfahren" in page
    assert "Schnittstelle XMeld" in page
    # C declined both: its page lists none.
    assert "Mitgezeichnete Positionen" not in partner_page(client, world.partner_c)


def test_the_partner_page_costs_the_same_with_3_or_25_cosigned_positions(client, world):
    people = world.people

    def send_more(count):
        for number in range(count):
            position = draft_position(people["staff_a"], [world.land], title=f"Brief {number}")
            services.position_open(position=position, actor=people["head_a"], deadline=in_a_week())
            cosigned(world, position, people["head_a"], people["head_b"])
            services.cosignature_decide(position=position, actor=world.head_c, signs=True)
            services.position_send(
                position=position, actor=people["head_a"], via="post", sent_on=timezone.localdate()
            )

    client.force_login(people["staff_b"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = partner_page(client, world.partner_b)
        return len(captured), page

    send_more(1)
    queries()  # the first request fills what the portal caches
    few, _page = queries()
    send_more(24)
    many, page = queries()
    assert few == many
    assert page.count('href="/positionen/') >= 10
    assert "Alle Positionen, die Stadt" in page
