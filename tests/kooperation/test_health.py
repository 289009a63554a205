import pytest
from django.conf import settings
from django.urls import reverse

from tests.processes import python_with_test_settings

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
    result = python_with_test_settings(
        "from django.test import Client;"
        "r = Client().get('/healthz/');"
        "print(r.status_code, r.json()['database'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/keine",
        CONN_MAX_AGE="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "error"]
