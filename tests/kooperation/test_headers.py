"""Headers on every answer: the browser features no page uses are switched off, and what a
signed-in person sees – and every download – is stored by no cache (issue 15, point 10)."""

import pytest
from django.urls import reverse

from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("path", ["/", "/partner/", "/gibt-es-nicht/", "/konto/login/"])
def test_every_answer_switches_off_unused_browser_features(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in policy


def test_pages_for_a_signed_in_person_and_the_exports_are_not_stored(client, staff):
    initiative = InitiativeFactory(proposer=staff)
    client.force_login(staff)
    pages = [
        reverse("home"),
        reverse("partners:partner_list"),
        reverse("initiatives:initiative_list"),
        reverse("initiatives:initiative_detail", args=[initiative.pk]),
        reverse("initiatives:initiative_export_csv"),
        reverse("initiatives:initiative_export_json"),
        reverse("personal_data_export"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert {"private", "no-store"} <= cache_control(response), page


def test_public_pages_for_visitors_may_be_stored(client):
    response = client.get(reverse("partners:partner_list"))
    assert "no-store" not in cache_control(response)
