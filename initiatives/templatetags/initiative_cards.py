"""The cards of the initiative list in one pass: {% initiative_cards initiatives %}.

A fresh list page spent most of its time rendering its 20 cards through the template engine –
per card some 20 variable lookups, six translations, two date formats and a choices table built
anew for each label (issue 20). Here the labels are translated once per list, and each card is
one format_html of the markup below (escaped as the template escaped it)."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from initiatives.models import Initiative, Participation

register = template.Library()

CARD = """<li class="kern-card">
  <div class="kern-card__container">
    <div class="kern-card__header">
      <p class="kern-preline">{area} · {lead_label}: {lead}</p>
      <h3 class="kern-title"><a class="kern-link" href="{url}">{title}</a></h3>
    </div>
    <div class="kern-card__body">
      <p>{badge}{ozg}</p>
      <p class="kern-body">{summary}</p>{taking_part}
      <p class="kern-body kern-body--small">{dates}</p>
    </div>
  </div>
</li>
"""
# As initiatives/_status_badge.html.
BADGE = (
    '<span class="kern-badge kern-badge--{tone}"><span class="kern-label">{status}</span></span>'
)
OZG = """
      <span class="kern-body--small">{label}: {reference}</span>"""
TAKING_PART = """
      <p class="kern-body kern-body--small">{label}: {partners}</p>"""


@register.simple_tag
def initiative_cards(initiatives) -> SafeString:
    """The list's cards (`li`) of `initiatives` (Initiative.objects.for_list()): field, lead,
    title linked to the detail page, status badge, OZG reference, summary, the partners
    taking part with their stage, and when it was proposed and last active."""
    statuses = {value: str(label) for value, label in Initiative.Status.choices}
    stages = {value: str(label) for value, label in Participation.Stage.choices}
    months = {number: str(name) for number, name in MONTHS.items()}
    lead_label, ozg_label, taking_part_label = _("Federführung"), _("OZG"), _("Beteiligt")
    dates = _("Vorgeschlagen am %(created)s, zuletzt aktiv am %(active)s")

    def day(moment) -> str:  # as the template's date:"j. F Y", in the current time zone
        moment = timezone.localtime(moment)
        return f"{moment.day}. {months[moment.month]} {moment.year}"

    cards = []
    for initiative in initiatives:
        ozg = ""
        if initiative.ozg_reference:
            ozg = format_html(OZG, label=ozg_label, reference=initiative.ozg_reference)
        taking_part = ""
        if initiative.taking_part:
            partners = format_html_join(
                ", ",
                "{} ({})",
                ((taking.partner.name, stages[taking.stage]) for taking in initiative.taking_part),
            )
            taking_part = format_html(TAKING_PART, label=taking_part_label, partners=partners)
        cards.append(
            format_html(
                CARD,
                area=initiative.area.name,
                lead_label=lead_label,
                lead=initiative.lead_partner.name,
                url=reverse("initiatives:initiative_detail", args=[initiative.pk]),
                title=initiative.title,
                badge=format_html(
                    BADGE, tone=initiative.status_badge, status=statuses[initiative.status]
                ),
                ozg=ozg,
                summary=initiative.summary,
                taking_part=taking_part,
                dates=dates
                % {
                    "created": day(initiative.created_at),
                    "active": day(initiative.last_activity_at),
                },
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - each card is format_html's
