"""The partner cards, rendered in one pass (partner_cards, issue 20): the same HTML as the card
template each partner was included with before, escaped alike, on "Über die Kooperation" and in
the directory."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse

from partners.models import Partner
from partners.templatetags.partner_cards import partner_cards
from tests.factories import DepartmentHeadFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

# partners/_partner_card.html as it was before issue 20, included once per partner: the
# reference.
TEMPLATE_LOOP = """{% load i18n %}{% for partner in partners %}
<li class="kern-card">
  <div class="kern-card__container">
    <div class="kern-card__header">
      <{{ heading }} class="kern-title">
        <a class="kern-link" href="{% url 'partners:partner_detail' partner.slug %}">{{ partner.name }}</a>
      </{{ heading }}>
      <p class="kern-preline">{{ partner.get_kind_display }}</p>
    </div>
    <div class="kern-card__body">
      {% if not partner.is_member %}
        <p><span class="kern-badge kern-badge--warning">
          <span class="kern-label">{% translate "Ehemaliger Partner" %}</span>
        </span></p>
      {% endif %}
      <p class="kern-body kern-body--small">
        {{ partner.official_key_kind }} {{ partner.official_key_shown }}{% if partner.joined_on %}<br>
        {% blocktranslate with date=partner.joined_on|date:"F Y" %}Partner seit {{ date }}{% endblocktranslate %}
        {% endif %}
      </p>
      {% if partner.department_heads %}
        <p class="kern-body kern-body--small">
          {% for head in partner.department_heads %}
            {{ head.name }}{% if head.job_title %}, {{ head.job_title }}{% endif %}
            {% if not forloop.last %}<br>{% endif %}
          {% endfor %}
        </p>
      {% endif %}
    </div>
  </div>
</li>
{% endfor %}"""  # noqa: E501 - the template as it was


@pytest.fixture
def awkward():
    """Partners with markup and ampersands in every text a card shows: a member with two heads
    (one without job title), a Landkreis without joining date or heads, a former partner whose
    head left (an inactive head is not shown), and a plain one."""
    odd = PartnerFactory(
        name='Amt <b>"Süd"</b> & Co', slug="amt-sued", joined_on=datetime.date(2021, 3, 31)
    )
    DepartmentHeadFactory(partner=odd, name="Zoe <i>Zett</i> & Söhne", job_title="CDO & <b>IT</b>")
    DepartmentHeadFactory(partner=odd, name="Anna Arndt", job_title="")
    UserFactory(partner=odd, name="Nur Sachbearbeitung")
    PartnerFactory(
        name="Landkreis Peine",
        slug="peine",
        kind=Partner.Kind.LANDKREIS,
        official_key="03157",
        joined_on=None,
    )
    former = PartnerFactory(
        name="Gemeinde Altdorf",
        slug="altdorf",
        status=Partner.Status.FORMER,
        joined_on=datetime.date(2020, 12, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    DepartmentHeadFactory(partner=former, name="Fritz Früher", is_active=False)
    PartnerFactory(name="Stadt Behausen", slug="behausen", joined_on=datetime.date(2024, 1, 5))


def partners() -> list[Partner]:
    return list(Partner.objects.with_department_heads().order_by("name"))


@pytest.mark.parametrize("heading", ["h2", "h3"])
def test_the_cards_are_the_html_the_template_loop_made(awkward, heading):
    listed = partners()
    before = (
        engines["django"]
        .from_string(TEMPLATE_LOOP)
        .render({"partners": listed, "heading": heading})
    )
    after = partner_cards(listed, heading)
    assert after == before
    assert after.count('<li class="kern-card">') == 4


def test_a_card_shows_its_facts_escaped(awkward):
    html = " ".join(partner_cards(partners(), "h2").split())
    link = reverse("partners:partner_detail", args=["amt-sued"])
    assert (
        f'<h2 class="kern-title"> <a class="kern-link" href="{link}">'
        "Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co</a> </h2>"
    ) in html
    assert "Partner seit März 2021" in html
    # The heads in the order of their names, with their job titles where they have one.
    assert (
        "Anna Arndt <br> Zoe &lt;i&gt;Zett&lt;/i&gt; &amp; Söhne, "
        "CDO &amp; &lt;b&gt;IT&lt;/b&gt; </p>"
    ) in html
    assert "Nur Sachbearbeitung" not in html
    assert "Fritz Früher" not in html
    assert html.count("Ehemaliger Partner") == 1
    assert "Kreisschlüssel 03157 </p>" in html


def test_about_and_the_directory_show_the_cards(client, awkward):
    members = [partner for partner in partners() if partner.is_member]
    about = client.get(reverse("about")).text
    assert partner_cards(members, "h3") in about
    directory = client.get(reverse("partners:partner_list")).text
    listed = list(Partner.objects.with_department_heads().order_by("-status", "name"))
    assert partner_cards(listed, "h2") in directory
