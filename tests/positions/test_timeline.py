"""The timeline of a position page, rendered in one pass (position_timeline, issue 20): the same
HTML as the template loop before it, escaped alike and dated in Europe/Berlin."""

import datetime

import pytest
from django.template import engines

from positions import selectors
from positions.models import PositionEvent
from positions.templatetags.position_timeline import position_timeline
from tests.factories import AddresseeFactory, PartnerFactory, UserFactory, draft_position
from tests.positions.helpers import url

pytestmark = pytest.mark.django_db

# The loop as positions/position_detail.html had it before issue 20: the reference.
TEMPLATE_LOOP = """{% for event in events %}
      <li><time datetime="{{ event.created_at|date:'c' }}">{{ event.created_at|date:"j. F Y, H:i" }}</time>
        – {{ event.get_kind_display }}{% if event.partner %} ({{ event.partner.name }}{% if event.actor %},
        {{ event.actor.name }}{% endif %}){% endif %}</li>
    {% endfor %}"""  # noqa: E501 - the template as it was


@pytest.fixture
def position():
    """A draft and its steps: with markup and ampersands in the partner's and the person's
    names, one step without a person (a deleted one), one without a partner, one at 23:30 UTC on
    New Year's Eve (in Berlin already the next year) and one in summer time."""
    odd = PartnerFactory(name='Amt <b>"Süd"</b> & Co')
    writer = UserFactory(name="<script>alert(1)</script> & Anna", partner=odd)
    position = draft_position(writer, [AddresseeFactory()])
    utc = datetime.UTC
    for kind, partner, actor, moment in [
        ("edited", odd, writer, datetime.datetime(2025, 12, 31, 23, 30, tzinfo=utc)),
        ("signed", odd, None, datetime.datetime(2026, 7, 1, 8, 5, tzinfo=utc)),
        ("published", None, None, datetime.datetime(2026, 7, 2, 0, 0, tzinfo=utc)),
    ]:
        PositionEvent.objects.create(
            position=position, kind=kind, partner=partner, actor=actor, created_at=moment
        )
    return position


def test_the_timeline_is_the_html_the_template_loop_made(position):
    events = list(selectors.timeline(position))
    assert len(events) == 4
    before = engines["django"].from_string(TEMPLATE_LOOP).render({"events": events})
    assert position_timeline(events) == before


def test_a_step_says_when_what_and_who_escaped(position):
    html = " ".join(position_timeline(selectors.timeline(position)).split())
    assert (
        '<time datetime="2026-01-01T00:30:00+01:00">1. Januar 2026, 00:30</time> – Text geändert '
        "(Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co, "
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Anna)</li>"
    ) in html
    assert ">1. Juli 2026, 10:05</time> – Zeichnet mit (Amt &lt;b&gt;" in html
    assert ">2. Juli 2026, 02:00</time> – Veröffentlicht</li>" in html


def test_the_position_page_shows_the_timeline(client, position):
    client.force_login(position.proposer)
    page = client.get(url("position_detail", position.pk)).text
    assert position_timeline(selectors.timeline(position)) in page
