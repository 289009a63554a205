"""Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit: the operator's text from
the admin, and a feedback form for barriers that anyone can use."""

import pytest
from django.urls import reverse

from kooperation.models import AccessibilityFeedback, LegalPage

pytestmark = pytest.mark.django_db

FEEDBACK = {
    "message": "Das Kontrastverhältnis der Fußzeile ist zu gering.",
    "page": "/partner/",
    "name": "Maria Neumann",
    "email": "maria@example.org",
}


@pytest.mark.parametrize(
    ("kind", "name", "heading"),
    [
        ("imprint", "imprint", "Impressum"),
        ("privacy", "privacy", "Datenschutzerklärung"),
        ("accessibility", "accessibility", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_the_operators_text_replaces_the_template(client, kind, name, heading):
    LegalPage.objects.create(
        kind=kind,
        body="## Anbieter\n\nStadt Braunschweig, **Platz der Deutschen Einheit 1**\n\n"
        "<script>alert(1)</script>",
    )
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading in response.text
    assert "noch nicht eingetragen" not in response.text
    assert "<strong>Platz der Deutschen Einheit 1</strong>" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_the_office_edits_the_pages_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:kooperation_legalpage_add"), {"kind": "imprint", "body": "## Impressum"}
    )
    assert response.status_code == 302
    assert LegalPage.objects.get().body == "## Impressum"
    listing = admin_client.get(reverse("admin:kooperation_accessibilityfeedback_changelist"))
    assert listing.status_code == 200


def test_anyone_reports_a_barrier_and_the_office_gets_it(client, settings, outbox_with):
    settings.MANAGERS = [("Geschäftsstelle", "office@example.org")]
    response = client.post(reverse("accessibility"), FEEDBACK, follow=True)
    assert "Danke für Ihre Rückmeldung" in response.text
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.page, feedback.handled) == ("/partner/", False)
    [mail] = outbox_with(1)
    assert mail.to == ["office@example.org"]
    assert "Kontrastverhältnis" in mail.body
    assert "maria@example.org" in mail.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**FEEDBACK, "message": ""}, "zwingend erforderlich"),
        ({**FEEDBACK, "message": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({**FEEDBACK, "email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ],
)
def test_a_bad_report_is_explained_and_nothing_is_lost(client, data, message):
    response = client.post(reverse("accessibility"), data)
    assert response.status_code == 200
    assert message in response.text
    assert data["page"] in response.text  # what was typed stays
    assert not AccessibilityFeedback.objects.exists()


def test_reports_from_one_address_are_limited(client):
    statuses = [client.post(reverse("accessibility"), FEEDBACK).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert AccessibilityFeedback.objects.count() == 5
