"""Celery as configured: a real worker takes a task from Redis (or, without Redis, inline)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import caches

from kooperation.celery import app
from tests.processes import python_with_test_settings

# The page cache (Redis when the tests have it) is shared by the worker and the test; the
# default cache is the database's security state, which the worker's thread cannot see inside
# the test's transaction.
cache = caches["pages"]


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


@pytest.mark.worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis; under CI=true it is always there")
def test_a_real_worker_runs_a_task_sent_through_redis():
    key = f"celery-test-{uuid.uuid4()}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        remember.delay(key, "angekommen")
        deadline = time.monotonic() + 20
        while cache.get(key) is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert cache.get(key) == "angekommen"


def test_without_redis_tasks_run_inline():
    # A separate process, configured as `make run` is: no REDIS_URL.
    result = python_with_test_settings(
        "from tests.kooperation.test_celery import cache, remember;"
        "remember.delay('schluessel', 'sofort');"
        "print(cache.get('schluessel'))",
        REDIS_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sofort"
