"""Configuration comes from the environment; a bad value stops the start with a clear message."""

import secrets

import pytest

from tests.processes import manage, python_clean

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "portal.example.de",
    "DATABASE_URL": "sqlite:////tmp/kooperation-check.sqlite3",
}


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode == 2
    assert "Konfigurationsfehler: SECRET_KEY fehlt" in result.stderr
    assert "Traceback" not in result.stderr


def test_short_secret_key_is_refused():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "kurz"})
    assert result.returncode == 2
    assert "SECRET_KEY fehlt oder ist kürzer als 50 Zeichen" in result.stderr


@pytest.mark.parametrize(
    "url", ["nicht-einmal-eine-url", "mysql://root@localhost/db", "postgres://[::1"]
)
def test_malformed_database_url_is_refused_with_an_example(url):
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": url})
    assert result.returncode == 2
    assert "Konfigurationsfehler: DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_redis_url_is_refused():
    result = manage("check", **{**PRODUCTION, "REDIS_URL": "localhost:6379"})
    assert result.returncode == 2
    assert "REDIS_URL ist ungültig" in result.stderr


def test_malformed_email_url_is_refused():
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": "brieftaube://"})
    assert result.returncode == 2
    assert "EMAIL_URL ist ungültig" in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_deployment_check_refuses_production_without_required_mfa():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, MFA_REQUIRED="false"
    )
    assert result.returncode != 0
    assert "kooperation.W001" in result.stderr + result.stdout


def test_wsgi_application_reports_configuration_errors_without_traceback():
    result = python_clean("import kooperation.wsgi", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode == 2
    assert "Konfigurationsfehler: SECRET_KEY fehlt" in result.stderr
    assert "Traceback" not in result.stderr


def test_embedded_defaults_run_tasks_inline_and_mail_to_the_console():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
        " s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    result = manage("shell", "-v", "0", "-c", code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "de",
        "Europe/Berlin",
    ]


def test_production_compiles_each_template_once_per_process():
    """Issue 20: the cached template loader, so a fresh page does not parse its templates."""
    code = (
        "from django.template import engines;"
        "print(*(type(loader).__module__ for loader in engines['django'].engine.template_loaders))"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.template.loaders.cached"]


def test_redis_url_makes_celery_use_the_broker():
    code = (
        "from django.conf import settings as s;"
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = manage(
        "shell", "-v", "0", "-c", code, DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", "False"]


def test_demo_data_is_not_loaded_without_debug():
    result = manage("load_demo_data", **PRODUCTION)
    assert result.returncode == 1
    assert "nur mit DEBUG=true" in result.stderr
