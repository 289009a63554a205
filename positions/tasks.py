"""Periodic work of the positions app (Celery beat)."""

from celery import shared_task


@shared_task
def send_cosigning_reminders() -> int:
    from positions import notices

    return notices.reminders_send()
