"""The timeline and the co-signatures of a position page, rendered in one pass (position_timeline,
position_cosignatures; issue 20): the same HTML as the template loops before them, escaped alike
and dated in Europe/Berlin."""

import datetime

import pytest
from django.template import engines

from positions import selectors
from positions.models import CoSignature, PositionEvent
from positions.templatetags.position_detail import position_cosignatures, position_timeline
from tests.factories import AddresseeFactory, PartnerFactory, UserFactory, draft_position
from tests.positions.helpers import url

pytestmark = pytest.mark.django_db

# The loop as positions/position_detail.html had it before issue 20: the reference.
TEMPLATE_LOOP = """{% for event in events %}
      <li><time datetime="{{ event.created_at|date:'c' }}">{{ event.created_at|date:"j. F Y, H:i" }}</time>
        – {{ event.get_kind_display }}{% if event.partner %} ({{ event.partner.name }}{% if event.actor %},
        {{ event.actor.name }}{% endif %}){% endif %}</li>
    {% endfor %}"""  # noqa: E501 - the template as it was

COSIGNATURE_LOOP = """{% load i18n %}{% for row in cosignatures %}
        <li><strong>{{ row.partner.name }}</strong>: {{ row.get_decision_display }}
          {% if row.decided_by %}<span class="kern-body--small">({{ row.decided_by.name }},
            {{ row.decided_at|date:"j. F Y" }}{% if row.version %},
            {% blocktranslate with number=row.version.number %}Fassung {{ number }}{% endblocktranslate %}{% endif %})
          </span>{% endif %}
          {% if row.reason %}<br><span class="kern-body--small">{{ row.reason }}</span>{% endif %}</li>
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


@pytest.fixture
def cosignatures(position):
    """Decisions on the position: with markup and ampersands in partner, person and reason, on
    New Year's Eve at 23:30 UTC (in Berlin the next year); one whose person was deleted; one
    without version; one without reason."""
    odd = position.lead_partner
    head = UserFactory(name="Dr. <i>Kopf</i> & Co", partner=odd)
    gone = UserFactory(name="Fritz Früher")
    version = position.current_version
    utc = datetime.UTC
    rows = [
        (
            odd,
            "signs",
            head,
            version,
            "Weil <b>gut</b> & richtig",
            datetime.datetime(2025, 12, 31, 23, 30, tzinfo=utc),
        ),
        (
            gone.partner,
            "declines",
            gone,
            version,
            "",
            datetime.datetime(2026, 7, 1, 8, 0, tzinfo=utc),
        ),
        (
            PartnerFactory(name="Stadt Behausen"),
            "signs",
            head,
            None,
            "Ohne Fassung",
            datetime.datetime(2026, 2, 1, 12, 0, tzinfo=utc),
        ),
    ]
    for partner, decision, person, on_version, reason, moment in rows:
        CoSignature.objects.create(
            position=position,
            partner=partner,
            decision=decision,
            decided_by=person,
            version=on_version,
            reason=reason,
            decided_at=moment,
        )
    gone.delete()
    return [row for row in selectors.cosignatures(position) if row.decision != "open"]


def test_the_cosignatures_are_the_html_the_template_loop_made(cosignatures):
    assert len(cosignatures) == 3
    before = engines["django"].from_string(COSIGNATURE_LOOP).render({"cosignatures": cosignatures})
    assert position_cosignatures(cosignatures) == before


def test_a_cosignature_says_who_decided_when_on_which_version_escaped(cosignatures):
    html = " ".join(position_cosignatures(cosignatures).split())
    assert (
        "<li><strong>Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co</strong>: Zeichnet mit "
        '<span class="kern-body--small">(Dr. &lt;i&gt;Kopf&lt;/i&gt; &amp; Co, 1. Januar 2026, '
        "Fassung 1) </span> <br>"
        '<span class="kern-body--small">Weil &lt;b&gt;gut&lt;/b&gt; &amp; richtig</span></li>'
    ) in html
    assert "Fritz Früher" not in html
    assert "(Dr. &lt;i&gt;Kopf&lt;/i&gt; &amp; Co, 1. Februar 2026) </span>" in html
