"""Test settings: production settings with the few changes a test run needs.

DATABASE_URL and REDIS_URL come from `make test` (scripts/test_backends.py).
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 60)
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous: https://docs.djangoproject.com/en/5.2/topics/async/#async-safety
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _worker_redis_url(url: str, worker: str) -> str:
    """pytest-xdist worker gwN uses the Redis database N above the run's (modulo Redis' 16
    databases): each worker's broker queue and page cache of its own, for the fresh_cache fixture
    empties a whole database before each test (tests/conftest.py)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = (base + int(worker.removeprefix("gw"))) % 16
    return urlunsplit(parts._replace(path=f"/{database}"))


# A process a test starts with these settings (a Celery worker, tests/processes.py) inherits the
# run's base URL and the worker name, and gets the same database; an explicit other REDIS_URL (an
# own redis-server, or "" for inline tasks) stays as it is.
_base_redis_url = os.environ.setdefault("TEST_REDIS_BASE_URL", os.environ.get("REDIS_URL", ""))
if (
    os.environ.get("PYTEST_XDIST_WORKER")
    and _base_redis_url
    and os.environ.get("REDIS_URL") == _base_redis_url
):
    os.environ["REDIS_URL"] = _worker_redis_url(_base_redis_url, os.environ["PYTEST_XDIST_WORKER"])

from kooperation.settings import *  # noqa: E402

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Compressed, hashed files need collectstatic; the tests serve the source files.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files from the finders, as the development server does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Most tests sign department heads and admins in without a second factor; the tests of the
# requirement turn it on (tests/kooperation/test_mfa.py).
MFA_REQUIRED = False
# Tests fill the application form faster than people can; the timing check has its own test.
JOIN_FORM_MIN_SECONDS = 0
# Tests run a digest right after the steps it reports; one test sets the production value.
DIGEST_SETTLE_SECONDS = 0
# Tests read the cached list right after changes made outside a request (by services), as the
# person who made them would; the tests of stale-while-revalidate set a bound of their own.
PAGES_STALE_SECONDS = 0
# Tests change the data between two digests of one window; one test keeps the news.
DIGEST_NEWS_MEMO_SECONDS = 0
# A Celery worker that a test starts as a process of its own writes its e-mails as files into
# this folder (slowly, if asked), for the test to read: tests/kooperation/test_digest_worker.py.
# Redis hands a task its killed worker never acknowledged to another worker after 2 seconds, and
# workers look for such tasks every second (in production: after an hour, every 100 seconds).
if os.environ.get("TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "tests.mail.SlowFileBackend"
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
