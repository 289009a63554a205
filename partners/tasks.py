"""Periodic work of the partners app (Celery beat)."""

from celery import shared_task


@shared_task
def expire_unconfirmed_applications() -> int:
    from partners import services

    return services.applications_unconfirmed_expire()
