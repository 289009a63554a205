"""The timeline of a position page in one pass: {% position_timeline events %}.

Each step cost the template two date formats, a choices lookup and a handful of variable
lookups – on a position with a dozen steps more than its discussion of 50 comments (issue 20).
Here the month names and the kinds are translated once per page, and each step is one
format_html of the markup below (escaped as the template escaped it)."""

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from positions.models import PositionEvent

register = template.Library()

STEP = """
      <li><time datetime="{iso}">{label}</time>
        – {kind}{who}</li>
    """
WHO = " ({partner}{actor})"
ACTOR = """,
        {actor}"""


@register.simple_tag
def position_timeline(events) -> SafeString:
    """The `li` of each of `events` (positions.selectors.timeline): when, in Europe/Berlin as the
    date filter's "j. F Y, H:i", what happened, and the partner and person who did it."""
    kinds = {value: str(label) for value, label in PositionEvent.Kind.choices}
    months = {number: str(name) for number, name in MONTHS.items()}
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
