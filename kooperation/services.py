"""Writes of the project app that are not the digest's."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from kooperation.models import AccessibilityFeedback, OverviewState, new_feed_key
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


# A visit ends after this long without a look at the overview; the next one marks what is newer
# than its end as new. The time seen is written at most every VISIT_WRITE_INTERVAL.
VISIT_GAP = timedelta(minutes=30)
VISIT_WRITE_INTERVAL = timedelta(minutes=5)


def overview_visit(*, user, now: datetime) -> datetime | None:
    """Notes that `user` looks at the overview at `now` and returns where their previous visit
    ended (None on the first): what is newer is new to them. At most one conditional UPDATE,
    and only every VISIT_WRITE_INTERVAL (two tabs opened at once write once)."""
    state, _created = OverviewState.objects.get_or_create(user=user)
    new_visit = state.seen_at is None or now - state.seen_at >= VISIT_GAP
    since = state.seen_at if new_visit else state.previous_visit_at
    if state.seen_at and now - state.seen_at < VISIT_WRITE_INTERVAL:
        return since
    changes = {"seen_at": now, "previous_visit_at": since}
    OverviewState.objects.filter(pk=state.pk, seen_at=state.seen_at).update(**changes)
    return since


@transaction.atomic
def feed_key_renew(*, user) -> OverviewState:
    """A new key for the person's feed link: the old link stops working."""
    state, _created = OverviewState.objects.select_for_update().get_or_create(user=user)
    state.feed_key = new_feed_key()
    state.save(update_fields=["feed_key"])
    return state
