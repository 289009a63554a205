"""Celery tasks of the outbox; the work is in outbox.services."""

from celery import shared_task

from outbox import services


@shared_task
def deliver_email(job_id: int) -> str:
    return services.job_deliver(job_id=job_id)


@shared_task
def sweep_outbox() -> int:
    return services.jobs_enqueue_due()
