"""Redis unreachable: pages cached only for speed are rendered without the cache, and security
state (rate limits) lives in the database, so sign-in and its limits keep working. Without the
database a request answers 503 with a German page, never 500; /healthz/ says what is down."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kooperation import tasks
from partners.models import AgreementVersion
from tests.factories import AgreementVersionFactory, InitiativeFactory, PartnerFactory, UserFactory
from tests.processes import python_with_test_settings

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def caches_down(settings):
    """The page cache's Redis is gone (the security state lives in the database)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "kooperation.cache.DegradingRedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }


def test_the_initiative_list_and_the_agreement_are_served_without_cache(client, caches_down):
    partner = PartnerFactory()
    InitiativeFactory(title="Gemeinsames Servicekonto", lead_partner=partner)
    AgreementVersionFactory(status=AgreementVersion.Status.IN_FORCE)
    client.force_login(UserFactory(partner=partner))

    listing = client.get(reverse("initiatives:initiative_list"), {"status": "active"})
    assert listing.status_code == 200
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200
    assert client.get(reverse("initiatives:common_ground")).status_code == 200
    client.logout()
    agreement = client.get(reverse("partners:agreement"))
    assert agreement.status_code == 200
    assert "Präambel" in agreement.text


def test_sign_in_and_its_rate_limit_work_without_any_redis(client, caches_down, settings):
    settings.CELERY_BROKER_URL = CLOSED
    person = UserFactory(password="ein-langes-passwort-7")
    wrong = {"login": person.email, "password": "falsch-falsch-falsch"}
    statuses = [client.post(reverse("account_login"), wrong).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]  # counted in the database, not lost with Redis
    other = UserFactory(password="ein-langes-passwort-7")
    right = {"login": other.email, "password": "ein-langes-passwort-7"}
    assert client.post(reverse("account_login"), right).status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_health_stays_200_when_the_page_cache_is_down(client, caches_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["page_cache"]) == ("ok", "error")
    assert body["database"] == "ok"


def test_without_the_database_a_request_answers_503_in_german_not_500():
    code = (
        "from django.test import Client;"
        "response = Client(raise_request_exception=False).post("
        "'/konto/login/', {'login': 'a@b.example', 'password': 'x'});"
        "print(response.status_code, response['Retry-After']);"
        "print('vorübergehend nicht möglich' in response.content.decode())"
    )
    result = python_with_test_settings(code, DATABASE_URL="postgres://postgres@127.0.0.1:1/x")
    assert result.stdout.split() == ["503", "60", "True"], result.stderr[-2000:]


@pytest.mark.django_db(transaction=True)
def test_expired_security_state_is_deleted_and_the_rest_kept():
    cache.set("abgelaufen", 1, 60)
    cache.set("gilt", 1, 60)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    past = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(minutes=1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET expires = %s WHERE cache_key LIKE %s",  # noqa: S608
            [past, "%abgelaufen"],
        )
    assert tasks.security_state_expire() == 1
    assert cache.get("gilt") == 1
    assert cache.get("abgelaufen") is None


def test_the_page_cache_keeps_one_redis_client_and_still_degrades(settings):
    """Issue 20: one redis.Redis per server serves every call (Django builds one per call);
    pointed at a Redis that is gone, the same cache still answers as a miss."""
    from kooperation.cache import DegradingRedisCache

    gone = DegradingRedisCache(CLOSED, {"OPTIONS": {"socket_connect_timeout": 1}})
    client = gone._cache.get_client("seite")
    assert gone._cache.get_client("andere", write=True) is client
    assert gone.get("seite", "fehlt") == "fehlt"
    assert gone.get_many(["seite"]) == {}
    if settings.REDIS_URL:  # CI=true: a round trip through the one client
        pages = DegradingRedisCache(settings.REDIS_URL, {"OPTIONS": {"socket_timeout": 1}})
        pages.set("seite", "gerendert", 30)
        assert pages.get("seite") == "gerendert"
        assert pages._cache.get_client("seite") is pages._cache.get_client("x", write=True)
        pages.delete("seite")
