"""What the join form says when it refuses a submission: words for people, no field names."""

import pytest
from django.urls import reverse

from partners.models import Application
from tests.factories import application_data

pytestmark = pytest.mark.django_db


def _form_data(client, **overrides):
    page = client.get(reverse("partners:application_create"))
    started = page.context["form"].initial["started"]
    return {**application_data(), "homepage": "", "started": started, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie erneut."),
        ({"started": "1700000000"}, "Das Formular ist abgelaufen."),
        ({"started": ""}, "Das Formular ist abgelaufen."),
    ],
)
def test_a_refused_form_names_no_hidden_field(client, settings, overrides, message):
    settings.JOIN_FORM_MIN_SECONDS = 60
    data = _form_data(client, **overrides)
    response = client.post(reverse("partners:application_create"), data)
    alert = response.text.split('role="alert"', 1)[1].split("</div>", 2)
    assert message in "".join(alert)
    assert "Verstecktes Feld" not in response.text
    assert "(Hidden field" not in response.text
    assert not Application.objects.exists()
