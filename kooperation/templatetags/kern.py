"""Template tags for KERN UX markup that templates would otherwise repeat."""

from collections.abc import Iterable

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.inclusion_tag("includes/label_hint_error.html")
def label_hint_error(
    field: BoundField | None = None,
    *,
    legend: bool = False,
    label: str = "",
    for_id: str = "",
    hint: str = "",
    hint_id: str = "",
    errors: Iterable[str] = (),
) -> dict:
    """A form field's label (or legend), hint and errors in KERN markup.

    `{% label_hint_error field %}`, or `{% label_hint_error field legend=True %}` in a fieldset.

    A bound field gives everything, with the ids its input's aria-describedby names
    (`<id>_helptext`, `<id>_error`); allauth's field element passes the parts itself.
    """
    error_id, optional = "", False
    if field is not None:
        label, errors = field.label, field.errors
        # "optional" only where something is required: in a search or filter form every field
        # is optional, and "Suche – optional" says nothing.
        optional = not field.field.required and any(f.required for f in field.form.fields.values())
        for_id = "" if legend else field.id_for_label
        # Help texts are the code's own HTML; Django's field templates show them unescaped too.
        hint = mark_safe(field.help_text)  # noqa: S308
        hint_id, error_id = f"{field.auto_id}_helptext", f"{field.auto_id}_error"
    return {
        "tag": "legend" if legend else "label",
        "label": label,
        "for_id": for_id,
        "optional": optional,
        "hint": hint,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
    }
