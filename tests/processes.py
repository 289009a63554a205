"""Run Django in a new process, for what a running test process cannot show: settings read at
start-up, a start that fails, a database that does not answer."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Set by `make test` or tests/settings.py; a process started "as in production" must not inherit
# them.
_TEST_RUN_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _run(argv, env):
    return subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _clean_environment(**env):
    clean = {key: value for key, value in os.environ.items() if key not in _TEST_RUN_VARIABLES}
    return {**clean, **env}


def manage(*args, **env):
    """`python manage.py ARGS` with only the given variables on top of a clean environment."""
    return _run([sys.executable, "manage.py", *args], _clean_environment(**env))


def python_clean(code, **env):
    """`python -c CODE` with only the given variables on top of a clean environment."""
    return _run([sys.executable, "-c", code], _clean_environment(**env))


def python_with_test_settings(code, **env):
    """`python -c CODE` after django.setup() with the test settings and the given variables."""
    setup = "import django; django.setup();"
    variables = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    return _run([sys.executable, "-c", setup + code], variables)
