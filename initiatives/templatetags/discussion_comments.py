"""The comments of a discussion page in one pass: {% discussion_comments comments %}.

A page of 50 comments spent most of its rendering in the template loop of
includes/discussion.html – per comment a dozen variable lookups and up to three translations
(issue 20). Here the three labels are translated once per page, and each comment is one
format_html of the markup below (escaped as the template escaped it; `body_html` is the
sanitised HTML the model stores, safe as it was)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

COMMENT = """
        <li id="kommentar-{pk}" class="portal-comment">
          <p class="kern-body kern-body--small">
            <strong>{author}</strong>{partner} ·
            <time datetime="{created_iso}">{created_label}</time>
            {edited}
          </p>
          <div class="kern-body portal-markdown">{body_html}</div>
          {changes}
        </li>
      """
PARTNER = """,
            {partner}"""
EDITED = """ ·
            <span title="{edited_label}">{label}</span>"""
CHANGES = """
            <p class="kern-body kern-body--small">
              <a class="kern-link" href="{update_url}">{update}</a> ·
              <a class="kern-link" href="{delete_url}">{delete}</a>
            </p>
          """


@register.simple_tag
def discussion_comments(comments) -> SafeString:
    """The `li` of each of `comments` (initiatives.discussion.ShownComment): author, partner,
    when written and whether edited, the text, and the links to edit and delete it for those
    who may (the comment's `update_url` is set only for them)."""
    edited_label, update_label, delete_label = _("bearbeitet"), _("Bearbeiten"), _("Löschen")
    shown = []
    for comment in comments:
        shown.append(
            format_html(
                COMMENT,
                pk=comment.pk,
                author=comment.author,
                partner=format_html(PARTNER, partner=comment.partner) if comment.partner else "",
                created_iso=comment.created_iso,
                created_label=comment.created_label,
                edited=format_html(EDITED, edited_label=comment.edited_label, label=edited_label)
                if comment.edited_label
                else "",
                body_html=comment.body_html,
                changes=format_html(
                    CHANGES,
                    update_url=comment.update_url,
                    update=update_label,
                    delete_url=comment.delete_url,
                    delete=delete_label,
                )
                if comment.update_url
                else "",
            )
        )
    return mark_safe("".join(shown))  # noqa: S308 - each comment is format_html's
