"""The e-mail of a digest: subject, the lines of its items, the message with both parts."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kooperation.digest.content import Digest
from kooperation.digest.unsubscribe import unsubscribe_token
from kooperation.models import Frequency
from partners.activity import Activity, Section
from partners.emails import absolute_url as absolute

KIND_OF_DIGEST = {Frequency.DAILY: _("tägliche"), Frequency.WEEKLY: _("wöchentliche")}

SECTION_TITLES = {
    Section.WAITING: _("Wartet auf Ihre Entscheidung"),
    Section.INITIATIVES: _("Initiativen"),
    Section.POSITIONS: _("Gemeinsame Positionen"),
    Section.DISCUSSION: _("Neue Kommentare zu Initiativen und Positionen, denen Sie folgen"),
    Section.SOLUTIONS: _("Lösungen, die auch Ihr Partner einsetzt"),
    Section.COOPERATION: _("Beitritte und Kooperationsvereinbarung"),
}


def subject(digest: Digest, frequency: str) -> str:
    """E.g. "2 Entscheidungen warten – Ihre tägliche Zusammenfassung: 5 Neuigkeiten". Formatted
    here rather than in a template, which would make it a large part of the rendering."""
    news = ngettext(
        "Ihre %(kind)s Zusammenfassung: %(count)s Neuigkeit",
        "Ihre %(kind)s Zusammenfassung: %(count)s Neuigkeiten",
        digest.news,
    ) % {"kind": KIND_OF_DIGEST[frequency], "count": digest.news}
    if not digest.waiting:
        return news
    waiting = ngettext(
        "%(count)s Entscheidung wartet", "%(count)s Entscheidungen warten", digest.waiting
    ) % {"count": digest.waiting}
    return f"{waiting} – {news}"


class ItemLines:
    """The HTML and the text line of each item, rendered once: the items of a batch's digests
    are mostly the same few (the week's news, the oldest open proposals), and rendering them
    for every recipient cost more than the rest of the e-mail. So is the line under a long
    section ("Insgesamt 12 Einträge …"), once per number."""

    def __init__(self):
        self._lines = {}
        self._more = {}

    def line(self, item: Activity) -> tuple[str, str]:
        lines = self._lines.get(item)
        if lines is None:
            context = {"item": item, "url": absolute(item.path)}
            lines = self._lines[item] = (
                render_to_string("kooperation/email/_digest_item.html", context),
                render_to_string("kooperation/email/_digest_item.txt", context),
            )
        return lines

    def __call__(self, items) -> tuple[str, str]:
        """The HTML list items and the text lines of `items`, each joined."""
        lines = [self.line(item) for item in items]
        # Our own template's output, escaped there.
        html = mark_safe("".join(html for html, _text in lines))  # noqa: S308
        return html, "".join(text for _html, text in lines)

    def more(self, shown: int, total: int) -> tuple[str, str]:
        """What a section says under its `shown` items when there are `total` (HTML, text)."""
        if total <= shown:
            return "", ""
        if total not in self._more:
            context = {"total": total, "portal_url": absolute(reverse("home"))}
            self._more[total] = (
                render_to_string("kooperation/email/_digest_more.html", context),
                render_to_string("kooperation/email/_digest_more.txt", context),
            )
        return self._more[total]


def message(
    digest: Digest, frequency: str, connection=None, lines: ItemLines | None = None
) -> EmailMultiAlternatives:
    """The e-mail of one digest; a batch passes one `lines` for all its digests."""
    lines = lines or ItemLines()
    unsubscribe_url = absolute(
        reverse("digest_unsubscribe", args=[unsubscribe_token(digest.recipient)])
    )
    context = {
        "digest": digest,
        "person": digest.recipient,
        "kind": KIND_OF_DIGEST[frequency],
        "sections": [
            (SECTION_TITLES[key], *lines(items), *lines.more(len(items), total))
            for key, items, total in digest.sections
        ],
        "settings_url": absolute(reverse("digest_settings")),
        "unsubscribe_url": unsubscribe_url,
        "portal_url": absolute(reverse("home")),
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
    email = EmailMultiAlternatives(
        subject=f"[{settings.PORTAL_NAME}] {subject(digest, frequency)}",
        body=render_to_string("kooperation/email/digest.txt", context),
        to=[digest.recipient.email],
        connection=connection,
        headers={
            # RFC 8058: one-click unsubscribe by a POST to the URL, without signing in.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(
        render_to_string("kooperation/email/digest.html", context), "text/html"
    )
    return email
