from django import template
from django.utils.safestring import mark_safe

from partners.markdown import render_markdown_many

register = template.Library()


@register.filter
def markdown(text):
    # Sanitised by nh3 in partners.markdown.render_markdown; cached by text.
    return mark_safe(render_markdown_many([text])[0])  # noqa: S308
