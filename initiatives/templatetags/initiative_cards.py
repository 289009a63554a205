"""The cards of the initiative list in one pass: {% initiative_cards initiatives %}.

A fresh list page spent most of its time rendering its 20 cards through the template engine –
per card some 20 variable lookups, six translations, two date formats and a choices table built
anew for each label (issue 20). Here the labels are translated once per list, and each card is
one str.format of the markup below (escaped as the template escaped it)."""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from initiatives.models import Initiative, Participation

register = template.Library()

# A number no initiative has, to find in the reversed address (initiatives are numbered from 1).
DETAIL_PLACEHOLDER = 2_147_483_647

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
    """The list's cards (`li`) of `initiatives` (Initiative.objects.for_list(), with
    selectors.attach_taking_part): field, lead, title linked to the detail page, status badge,
    OZG reference, summary, the partners taking part with their stage, and when it was proposed
    and last active.

    Every text from the database goes through html.escape – what django.utils.html.escape does
    to a str, without format_html's checks for safe strings, which none of them is (a fifth of a
    fresh list page's CPU went to format_html)."""
    statuses = {value: escape(str(label)) for value, label in Initiative.Status.choices}
    stages = {value: escape(str(label)) for value, label in Participation.Stage.choices}
    months = {number: str(name) for number, name in MONTHS.items()}
    lead_label = escape(_("Federführung"))
    ozg_label, taking_part_label = escape(_("OZG")), escape(_("Beteiligt"))
    dates = _("Vorgeschlagen am %(created)s, zuletzt aktiv am %(active)s")
    zone = timezone.get_current_timezone()
    # The detail address of one initiative, its number left open: one reverse() per list.
    url = reverse("initiatives:initiative_detail", args=[DETAIL_PLACEHOLDER])
    url_before, url_after = url.split(str(DETAIL_PLACEHOLDER))

    def day(moment) -> str:  # as the template's date:"j. F Y", in the current time zone
        moment = moment.astimezone(zone)
        return f"{moment.day}. {months[moment.month]} {moment.year}"

    cards = []
    for initiative in initiatives:
        ozg = ""
        if initiative.ozg_reference:
            ozg = OZG.format(label=ozg_label, reference=escape(initiative.ozg_reference))
        taking_part = ""
        if initiative.taking_part:
            partners = ", ".join(
                f"{escape(taking.partner_name)} ({stages[taking.stage]})"
                for taking in initiative.taking_part
            )
            taking_part = TAKING_PART.format(label=taking_part_label, partners=partners)
        cards.append(
            CARD.format(
                area=escape(initiative.area.name),
                lead_label=lead_label,
                lead=escape(initiative.lead_partner.name),
                url=f"{url_before}{initiative.pk}{url_after}",
                title=escape(initiative.title),
                badge=BADGE.format(
                    tone=escape(initiative.status_badge), status=statuses[initiative.status]
                ),
                ozg=ozg,
                summary=escape(initiative.summary),
                taking_part=taking_part,
                dates=escape(
                    dates
                    % {
                        "created": day(initiative.created_at),
                        "active": day(initiative.last_activity_at),
                    }
                ),
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped
