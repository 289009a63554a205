"""The cards of the initiative list, rendered in one pass (initiative_cards, issue 20): they say
what the template loop before them said, fact by fact and escaped alike."""

import datetime
import re

import pytest
from django.db.models import Prefetch
from django.template import engines
from django.utils import timezone

from initiatives import selectors
from initiatives.models import Initiative, Participation
from initiatives.templatetags.initiative_cards import initiative_cards
from tests.factories import InitiativeFactory, ParticipationFactory, PartnerFactory
from tests.initiatives.helpers import Stage, Status, url

pytestmark = pytest.mark.django_db

# The card loop as _initiative_results.html had it before issue 20: the reference.
TEMPLATE_LOOP = """{% load i18n %}{% for initiative in initiatives %}
<li class="kern-card">
  <div class="kern-card__container">
    <div class="kern-card__header">
      <p class="kern-preline">
        {{ initiative.area.name }} · {% translate "Federführung" %}: {{ initiative.lead_partner.name }}
      </p>
      <h3 class="kern-title">
        <a class="kern-link"
           href="{% url 'initiatives:initiative_detail' initiative.pk %}">{{ initiative.title }}</a>
      </h3>
    </div>
    <div class="kern-card__body">
      <p>
        {% include "initiatives/_status_badge.html" %}{% if initiative.ozg_reference %}
        <span class="kern-body--small">{% translate "OZG" %}: {{ initiative.ozg_reference }}</span>{% endif %}
      </p>
      <p class="kern-body">{{ initiative.summary }}</p>
      {% if initiative.taking_part %}
        <p class="kern-body kern-body--small">
          {% translate "Beteiligt" %}:
          {% for taking in initiative.taking_part %}
            {{ taking.partner.name }} ({{ taking.get_stage_display }}){% if not forloop.last %},{% endif %}
          {% endfor %}
        </p>
      {% endif %}
      <p class="kern-body kern-body--small">{% with active=initiative.last_activity_at|date:"j. F Y" %}
        {% blocktranslate trimmed with created=initiative.created_at|date:"j. F Y" %}
          Vorgeschlagen am {{ created }}, zuletzt aktiv am {{ active }}
        {% endblocktranslate %}
      {% endwith %}</p>
    </div>
  </div>
</li>
{% endfor %}"""  # noqa: E501 - the template as it was


def squeezed(html: str) -> str:
    """`html` without the whitespace between and around its tags, runs of spaces as one."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


def listed() -> list[Initiative]:
    initiatives = list(Initiative.objects.for_list().order_by("-created_at", "-id"))
    selectors.attach_taking_part(initiatives)
    return initiatives


def listed_as_before() -> list[Initiative]:
    """As the list read them before issue 20: the partners taking part as model objects."""
    taking_part = Prefetch(
        "participations",
        queryset=Participation.objects.taking_part()
        .select_related("partner")
        .order_by("partner__name"),
        to_attr="taking_part",
    )
    return list(
        Initiative.objects.for_list().prefetch_related(taking_part).order_by("-created_at", "-id")
    )


@pytest.fixture
def cards(catalogue):
    """The catalogue and a few awkward ones: markup and ampersands in every text a card shows,
    a proposal made late in the evening of New Year's Eve in UTC (in Berlin already the next
    year), one partner taking part in each stage."""
    odd = PartnerFactory(name='Amt <b>"Süd"</b> & Co')
    tricky = InitiativeFactory(
        title="<script>alert(1)</script> & Akte",
        summary="Fünf > vier & „Zitat“",
        area=catalogue.basis,
        proposer__partner=odd,
        status=Status.PAUSED,
        ozg_reference="Wohngeld & <i>Lasten</i>",
        created_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC),
        last_activity_at=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC),
    )
    for partner, stage in [
        (catalogue.a, Stage.ADOPTED),
        (catalogue.b, Stage.INTERESTED),
        (odd, Stage.COMMITTED),
        (catalogue.c, Stage.DECLINED),
    ]:
        ParticipationFactory(initiative=tricky, partner=partner, stage=stage)
    return tricky


def test_the_cards_say_what_the_template_loop_said(cards):
    loop = engines["django"].from_string(TEMPLATE_LOOP)
    before = loop.render({"initiatives": listed_as_before()})
    assert squeezed(initiative_cards(listed())) == squeezed(before)


def test_a_card_shows_its_facts_escaped_and_dated_in_berlin(cards):
    html = squeezed(initiative_cards([i for i in listed() if i.pk == cards.pk]))
    link = url("initiative_detail", cards.pk)
    assert (
        f'<a class="kern-link" href="{link}">&lt;script&gt;alert(1)&lt;/script&gt; &amp; Akte</a>'
        in html
    )
    assert "Basisdienste · Federführung: Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co" in html
    assert (
        '<span class="kern-badge kern-badge--warning"><span class="kern-label">Pausiert</span>'
        in html
    )
    assert "OZG: Wohngeld &amp; &lt;i&gt;Lasten&lt;/i&gt;" in html
    assert "Fünf &gt; vier &amp; „Zitat“" in html
    # Taking part in the order of their names, with their stage; who declined is not listed.
    assert (
        "Beteiligt: Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co (Zugesagt), "
        "Stadt Aheim (Nachgenutzt), Stadt Behausen (Interessiert)</p>"
    ) in html
    assert "Vorgeschlagen am 1. Januar 2026, zuletzt aktiv am 1. März 2026" in html


def test_a_card_without_ozg_reference_or_partners_taking_part_leaves_them_out(catalogue):
    fax = [i for i in listed() if i.pk == catalogue.fax.pk]
    html = squeezed(initiative_cards(fax))
    assert "kern-badge--danger" in html
    assert "OZG" not in html
    assert "Beteiligt" not in html
    proposed = timezone.localdate(catalogue.fax.created_at)
    assert f"Vorgeschlagen am {proposed.day}. " in html


def test_the_list_page_shows_the_cards(client, cards, catalogue):
    client.force_login(catalogue.viewer)
    page = squeezed(client.get(url("initiative_list")).text)
    assert squeezed(initiative_cards(listed())) in page
    assert "6 Initiativen" in page
    one = squeezed(client.get(url("initiative_list"), {"status": "paused", "lead": "aheim"}).text)
    assert "1 Initiative<" in one
