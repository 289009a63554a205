"""The cards of partners in one pass: {% partner_cards partners "h2" %}.

"Über die Kooperation" spent about a fifth of its time including the card template once per
partner – a new context, some 15 variable lookups, a translation and a date format per card
(issue 20). Here the labels are translated once per page, and each card is one format_html of
the markup below (escaped as the template escaped it)."""

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partners.models import Partner

register = template.Library()

CARD = """
<li class="kern-card">
  <div class="kern-card__container">
    <div class="kern-card__header">
      <{heading} class="kern-title">
        <a class="kern-link" href="{url}">{name}</a>
      </{heading}>
      <p class="kern-preline">{kind}</p>
    </div>
    <div class="kern-card__body">
      {former}
      <p class="kern-body kern-body--small">
        {key_kind} {key}{joined}
      </p>
      {heads}
    </div>
  </div>
</li>
"""
FORMER = """
        <p><span class="kern-badge kern-badge--warning">
          <span class="kern-label">{label}</span>
        </span></p>
      """
JOINED = """<br>
        {since}
        """
HEADS = """
        <p class="kern-body kern-body--small">
          {heads}
        </p>
      """
HEAD = """
            {name}{job_title}
            {br}
          """


@register.simple_tag
def partner_cards(partners, heading: str) -> SafeString:
    """The cards (`li`) of `partners`, each with its department heads prefetched
    (Partner.objects.with_department_heads()): name linked to its page under a `heading`
    (h2 or h3), kind, whether a former partner, official key, since when a partner, and the
    department heads with their job titles."""
    kinds = {value: str(label) for value, label in Partner.Kind.choices}
    months = {number: str(name) for number, name in MONTHS.items()}
    former_label = _("Ehemaliger Partner")
    since = _("Partner seit %(date)s")
    cards = []
    for partner in partners:
        heads = partner.department_heads
        cards.append(
            format_html(
                CARD,
                heading=heading,
                url=reverse("partners:partner_detail", args=[partner.slug]),
                name=partner.name,
                kind=kinds.get(partner.kind, partner.kind),
                former="" if partner.is_member else format_html(FORMER, label=former_label),
                key_kind=partner.official_key_kind,
                key=partner.official_key_shown,
                joined=format_html(
                    JOINED,
                    since=since
                    % {"date": f"{months[partner.joined_on.month]} {partner.joined_on.year}"},
                )
                if partner.joined_on
                else "",
                heads=format_html(HEADS, heads=_heads(heads)) if heads else "",
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - each card is format_html's


def _heads(heads) -> SafeString:
    """The department heads of a card, one a line: name, job title."""
    return format_html_join(
        "",
        HEAD,
        (
            {
                "name": head.name,
                "job_title": f", {head.job_title}" if head.job_title else "",
                "br": "" if number == len(heads) - 1 else mark_safe("<br>"),
            }
            for number, head in enumerate(heads)
        ),
    )
