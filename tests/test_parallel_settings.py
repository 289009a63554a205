"""Under pytest-xdist every worker process has a Redis database of its own (tests/settings.py):
the fresh_cache fixture empties a whole database before each test, and would otherwise empty the
broker queue and the page cache of a test running in the other process."""

import json

from tests.processes import python_with_test_settings
from tests.settings import _worker_redis_url

BASE = "redis://127.0.0.1:6379/7"
PRINT_REDIS = (
    "from django.conf import settings; import json;"
    "print(json.dumps([settings.REDIS_URL, settings.CELERY_BROKER_URL,"
    " settings.CACHES['pages'].get('LOCATION', '')]))"
)


def redis_settings(**env):
    result = python_with_test_settings(PRINT_REDIS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_worker_n_uses_the_database_n_above_the_runs():
    assert _worker_redis_url(BASE, "gw0") == BASE
    assert _worker_redis_url(BASE, "gw1") == "redis://127.0.0.1:6379/8"
    assert _worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/0"
    assert _worker_redis_url("redis://127.0.0.1:6379", "gw2") == "redis://127.0.0.1:6379/2"


def test_a_worker_process_takes_broker_and_page_cache_to_its_database():
    worker_url = "redis://127.0.0.1:6379/9"
    env = {"REDIS_URL": BASE, "TEST_REDIS_BASE_URL": BASE, "PYTEST_XDIST_WORKER": "gw2"}
    assert redis_settings(**env) == [worker_url] * 3
    # A process that worker starts (a Celery worker) inherits the changed URL and keeps it.
    assert redis_settings(**{**env, "REDIS_URL": worker_url}) == [worker_url] * 3


def test_an_explicit_other_redis_or_none_stays_as_given():
    env = {"TEST_REDIS_BASE_URL": BASE, "PYTEST_XDIST_WORKER": "gw1"}
    own_server = "redis://127.0.0.1:6390/0"
    assert redis_settings(**env, REDIS_URL=own_server) == [own_server] * 3
    assert redis_settings(**env, REDIS_URL="")[:2] == ["", "memory://"]
