"""The positions a partner co-signed, for the partner page: partners knows nothing of positions,
its template loads this library ({% load partner_positions %}{% cosigned_positions partner %})."""

from django import template

from positions.models import Position

register = template.Library()

# The partner page shows the newest this many and links the list filtered for the rest.
SHOWN = 10


@register.inclusion_tag("positions/_cosigned_by_partner.html", takes_context=True)
def cosigned_positions(context, partner):
    """The positions `partner` co-signed that the person asking may read (visitors: the
    published ones), newest first; two queries however many there are."""
    rows = list(
        Position.objects.visible_to(context["request"].user)
        .cosigned_by(partner)
        .for_list()
        .order_by("-sent_on", "-pk")[: SHOWN + 1]
    )
    return {"partner": partner, "positions": rows[:SHOWN], "more": len(rows) > SHOWN}
