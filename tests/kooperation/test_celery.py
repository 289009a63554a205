"""Celery as configured: a real worker takes a task from Redis (or, without Redis, inline)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache

from kooperation.celery import app


@app.task(name="tests.remember")
def remember(key, value):
    cache.set(key, value, timeout=60)


def test_app_takes_its_configuration_from_django_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.timezone == "Europe/Berlin"
    assert app.conf.task_time_limit < app.conf.broker_transport_options["visibility_timeout"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis; under CI=true it is always there")
def test_a_real_worker_runs_a_task_sent_through_redis():
    key = f"celery-test-{uuid.uuid4()}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        remember.delay(key, "angekommen")
        deadline = time.monotonic() + 20
        while cache.get(key) is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert cache.get(key) == "angekommen"


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the inline mode is the one without Redis")
def test_without_redis_tasks_run_inline():
    key = f"celery-test-{uuid.uuid4()}"
    remember.delay(key, "sofort")
    assert cache.get(key) == "sofort"
