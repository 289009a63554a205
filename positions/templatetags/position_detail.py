"""The lists of a position page in one pass: {% position_timeline events %} and
{% position_cosignatures cosignatures %}.

Each step of the timeline cost the template two date formats, a choices lookup and a handful of
variable lookups – on a position with a dozen steps more than its discussion of 50 comments
(issue 20); each co-signature a date format and a translation. Here the month names, kinds and
decisions are translated once per page, and each item is one format_html of the markup below
(escaped as the template escaped it)."""

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from positions.models import CoSignature, PositionEvent

register = template.Library()

STEP = """
      <li><time datetime="{iso}">{label}</time>
        – {kind}{who}</li>
    """
WHO = " ({partner}{actor})"
ACTOR = """,
        {actor}"""
COSIGNATURE = """
        <li><strong>{partner}</strong>: {decision}
          {decided}
          {reason}</li>
      """
DECIDED = """<span class="kern-body--small">({person},
            {date}{version})
          </span>"""
VERSION = """,
            {version}"""
REASON = """<br><span class="kern-body--small">{reason}</span>"""


def _months() -> dict[int, str]:
    return {number: str(name) for number, name in MONTHS.items()}


@register.simple_tag
def position_timeline(events) -> SafeString:
    """The `li` of each of `events` (positions.selectors.timeline): when, in Europe/Berlin as the
    date filter's "j. F Y, H:i", what happened, and the partner and person who did it."""
    kinds = {value: str(label) for value, label in PositionEvent.Kind.choices}
    months = _months()
    steps = []
    for event in events:
        moment = timezone.localtime(event.created_at)
        who = ""
        if event.partner:
            actor = format_html(ACTOR, actor=event.actor.name) if event.actor else ""
            who = format_html(WHO, partner=event.partner.name, actor=actor)
        steps.append(
            format_html(
                STEP,
                iso=moment.isoformat(),
                label=f"{moment.day}. {months[moment.month]} {moment.year}, {moment:%H:%M}",
                kind=kinds.get(event.kind, event.kind),
                who=who,
            )
        )
    return mark_safe("".join(steps))  # noqa: S308 - each step is format_html's


@register.simple_tag
def position_cosignatures(cosignatures) -> SafeString:
    """The `li` of each of `cosignatures` (positions.selectors.cosignatures, the decided ones):
    the partner and its decision; who decided, when (Europe/Berlin, "j. F Y") and on which
    version; the reason given."""
    decisions = {value: str(label) for value, label in CoSignature.Decision.choices}
    months = _months()
    version_label = _("Fassung %(number)s")
    rows = []
    for row in cosignatures:
        decided = ""
        if row.decided_by:
            date = ""
            if row.decided_at:
                day = timezone.localtime(row.decided_at)
                date = f"{day.day}. {months[day.month]} {day.year}"
            version = ""
            if row.version:
                version = format_html(
                    VERSION, version=version_label % {"number": row.version.number}
                )
            decided = format_html(DECIDED, person=row.decided_by.name, date=date, version=version)
        rows.append(
            format_html(
                COSIGNATURE,
                partner=row.partner.name,
                decision=decisions.get(row.decision, row.decision),
                decided=decided,
                reason=format_html(REASON, reason=row.reason) if row.reason else "",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html's
