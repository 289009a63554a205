"""Sign-in by e-mail through django-allauth, with German messages for every bad input."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, DepartmentHeadFactory

pytestmark = pytest.mark.django_db

WRONG_CREDENTIALS = "Die E-Mail-Adresse und/oder das Passwort sind leider falsch."


@pytest.fixture
def head(partner):
    return DepartmentHeadFactory(
        partner=partner, email="dezernat@musterdorf.example", name="Erika Muster"
    )


def test_department_head_signs_in_with_email_and_sees_their_name(client, head):
    response = client.post(
        reverse("account_login"),
        {"login": "Dezernat@Musterdorf.example", "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["user"] == head
    assert "Erika Muster" in response.text


def test_sign_in_rotates_the_session_id(client, head):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": head.email, "password": TEST_PASSWORD})
    assert client.session.session_key != before


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("dezernat@musterdorf.example", "falsches-passwort"),
        ("unbekannt@musterdorf.example", TEST_PASSWORD),
    ],
    ids=["wrong password", "unknown e-mail"],
)
def test_bad_credentials_get_the_same_clear_message(client, head, login, password):
    response = client.post(reverse("account_login"), {"login": login, "password": password})
    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text
    assert f'value="{login}"' in response.text  # what was typed is kept
    assert "_auth_user_id" not in client.session


def test_malformed_email_is_refused(client, head):
    response = client.post(reverse("account_login"), {"login": "kein-at-zeichen", "password": "x"})
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.text


def test_inactive_person_cannot_sign_in(client, head):
    head.is_active = False
    head.save(update_fields=["is_active"])
    response = client.post(
        reverse("account_login"), {"login": head.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_sign_up_is_closed_with_a_clear_page(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "geschlossen" in response.text.lower()
