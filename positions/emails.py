"""E-mails of the positions: written to the outbox in the transaction of the change that causes
them (outbox.services.mail_queue)."""

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from outbox.services import mail_queue, render_text
from partners.emails import absolute_url


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "PORTAL_NAME": settings.PORTAL_NAME, "SITE_URL": settings.SITE_URL}
    subject = render_text(f"positions/email/{template}_subject.txt", context)
    return subject, render_text(f"positions/email/{template}.txt", context)


def _queue(template: str, context: dict, recipients: list[str]) -> None:
    subject, body = _render(template, context)
    mail_queue(
        to=recipients, subject=f"[{settings.PORTAL_NAME}] {subject}", body=body, kind=template
    )


def position_url(position) -> str:
    return absolute_url(reverse("positions:position_detail", args=[position.pk]))


def cosignatures_reset(position, heads) -> None:
    """Tells the heads whose co-signature a text change reset: they decide again."""
    for head in heads:
        _queue(
            "position_cosignature_reset",
            {"position": position, "head": head, "url": position_url(position)},
            [head.email],
        )


def cosigning_requested(position, head, *, reminder: bool) -> None:
    """Asks a department head to decide for their partner: at once when the position enters
    Mitzeichnung, or as the reminder before the deadline."""
    template = "position_cosigning_reminder" if reminder else "position_cosigning_opened"
    _queue(
        template, {"position": position, "head": head, "url": position_url(position)}, [head.email]
    )


def letter(position, *, signers, reply_to: str) -> None:
    """The letter to the addressees, the stored PDF attached, answers to the lead's head."""
    subject, body = _render("position_letter", {"position": position, "signers": signers})
    mail_queue(
        to=[addressee.email for addressee in position.addressees.all()],
        subject=subject,
        body=body,
        headers={"Reply-To": reply_to},
        attachments=[
            (f"{slugify(position.title)[:80]}.pdf", position.letter_pdf, "application/pdf")
        ],
        kind="position_letter",
    )
