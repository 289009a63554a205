"""Writes of the project app that are not the digest's."""

from django.conf import settings
from django.db import transaction

from kooperation.models import AccessibilityFeedback
from outbox.services import mail_queue, render_text


@transaction.atomic
def accessibility_feedback_submit(
    *, message: str, page: str = "", name: str = "", email: str = ""
) -> AccessibilityFeedback:
    """Stores a reported barrier and forwards it to the office (MANAGERS) through the outbox;
    the report itself is in the admin in any case."""
    feedback = AccessibilityFeedback(message=message, page=page, name=name, email=email)
    feedback.full_clean()
    feedback.save()
    office = [address for _name, address in settings.MANAGERS]
    if office:
        context = {"feedback": feedback, "SITE_URL": settings.SITE_URL}
        mail_queue(
            to=office,
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}Rückmeldung zur Barrierefreiheit",
            body=render_text("kooperation/email/accessibility_feedback.txt", context),
            kind="accessibility_feedback",
        )
    return feedback
