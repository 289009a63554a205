import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_health_answers_200_while_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    expected_broker = "ok" if settings.REDIS_URL else "inline"
    assert body["broker"] == expected_broker
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_an_unreachable_broker_without_failing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] == "error"


def test_health_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_health_answers_503_when_the_database_does_not_answer():
    # A real database that cannot be reached: PostgreSQL on a port where nothing listens.
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/keine",
        "CONN_MAX_AGE": "0",
    }
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "error"]
