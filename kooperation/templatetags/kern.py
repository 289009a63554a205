"""Template tags for KERN UX markup that templates would otherwise repeat."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_block_tag(end_name="enddl_item")
def dl_item(content: str, term: str, *, testid: str = "") -> str:
    """One item of a `kern-description-list`: `{% dl_item _("Term") %}value{% enddl_item %}`."""
    value_attrs = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<div class="kern-description-list-item">'
        '<dt class="kern-description-list-item__key">{}</dt>'
        '<dd class="kern-description-list-item__value"{}>{}</dd>'
        "</div>",
        term,
        value_attrs,
        content,
    )
