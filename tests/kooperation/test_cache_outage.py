"""Redis for the caches unreachable (both aliases on a closed port): pages cached only for speed
are rendered without the cache; what needs security state (rate limits) answers 503 with a
German page, never 500 and never unchecked; /healthz/ says so."""

import pytest
from django.urls import reverse

from partners.models import AgreementVersion
from tests.factories import AgreementVersionFactory, InitiativeFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def caches_down(settings):
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": options,
        },
        "pages": {
            "BACKEND": "kooperation.cache.DegradingRedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": options,
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


def test_sign_in_and_password_reset_answer_503_in_german(client, caches_down):
    person = UserFactory(password="ein-langes-passwort-7")
    sign_in = client.post(
        reverse("account_login"), {"login": person.email, "password": "ein-langes-passwort-7"}
    )
    assert sign_in.status_code == 503
    assert "vorübergehend nicht möglich" in sign_in.text
    assert sign_in["Retry-After"] == "60"
    assert "_auth_user_id" not in client.session  # not let through unchecked

    reset = client.post(reverse("account_reset_password"), {"email": person.email})
    assert reset.status_code == 503
    assert "vorübergehend nicht möglich" in reset.text


def test_health_reports_the_caches(client, caches_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503  # nobody can sign in
    body = response.json()
    assert (body["status"], body["cache"], body["page_cache"]) == ("error", "error", "error")
    assert body["database"] == "ok"


def test_health_stays_200_when_only_the_page_cache_is_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "kooperation.cache.DegradingRedisCache", "LOCATION": CLOSED},
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["page_cache"] == "error"
