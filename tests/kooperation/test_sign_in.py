"""Sign-in by e-mail through django-allauth, with German messages for every bad input."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kooperation import digest
from kooperation.middleware import SEEN_AT, SIGNED_IN_AT
from partners.models import User
from tests.factories import (
    TEST_PASSWORD,
    DepartmentHeadFactory,
    EmailDomainFactory,
    PartnerFactory,
)

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


# Sign-up: only with an address on a member partner's domain.

SIGNUP = reverse("account_signup")


def sign_up(client, email, name="Anna Adorf"):
    return client.post(
        SIGNUP,
        {
            "name": name,
            "email": email,
            "password1": "ein-langes-passwort-7",
            "password2": "ein-langes-passwort-7",
        },
    )


@pytest.fixture
def adorf(db):
    partner = PartnerFactory(name="Stadt Adorf")
    EmailDomainFactory(partner=partner, domain="adorf.example")
    return partner


def test_a_partner_address_signs_up_confirms_and_becomes_staff_of_that_partner(
    client, adorf, sent_mail
):
    assert client.get(SIGNUP).status_code == 200
    response = sign_up(client, "Anna.Adorf@ADORF.example")
    assert response.status_code == 302
    person = User.objects.get(email__iexact="anna.adorf@adorf.example")
    assert (person.partner, person.role, person.name) == (adorf, User.Role.STAFF, "Anna Adorf")
    assert person not in digest.recipients("weekly")  # no digest to an unconfirmed address
    # Not before the address is confirmed.
    login = {"login": person.email, "password": "ein-langes-passwort-7"}
    client.post(reverse("account_login"), login)
    assert "_auth_user_id" not in client.session
    [confirmation] = sent_mail()
    assert confirmation.subject == "[Kooperationsportal] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "Bitte bestätigen Sie sie" in confirmation.body
    assert "Kooperationsportal" in confirmation.body
    assert not re.search(r"\b(du|dein|deine)\b", confirmation.body, re.IGNORECASE)
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", confirmation.body).group(0)
    client.post(urlparse(link).path)
    assert EmailAddress.objects.get(user=person).verified
    assert person in digest.recipients("weekly")
    response = client.post(reverse("account_login"), login)
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.parametrize(
    "email", ["anna@gmail.example", "anna@sub.adorf.example", "anna@ehemals.example"]
)
def test_other_addresses_are_refused_without_naming_any_partner(client, adorf, email):
    former = PartnerFactory(name="Gemeinde Ehemals", status="former", left_on="2024-01-01")
    EmailDomainFactory(partner=former, domain="ehemals.example")
    response = sign_up(client, email)
    assert response.status_code == 200
    assert "Mit dieser Adresse ist keine Registrierung möglich" in response.text
    assert "Adorf" not in response.text.replace('value="Anna Adorf"', "")
    assert "adorf.example" not in response.text.replace(email, "")
    assert not User.objects.filter(email=email).exists()


# Brute-force protection (ACCOUNT_RATE_LIMITS, counted in the cache: Redis under CI).


def sign_in(client, login, password, **headers):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **headers)


def test_the_sixth_failed_sign_in_for_one_address_within_five_minutes_answers_429(client, head):
    for _attempt in range(5):
        assert sign_in(client, head.email, "falsch").status_code == 200
    refused = sign_in(client, head.email, "falsch")
    assert refused.status_code == 429
    assert "Zu viele Versuche" in refused.text
    # Locked for the rest of the five minutes, even with the right password …
    assert sign_in(client, head.email, TEST_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # … while another address from the same place signs in.
    other = DepartmentHeadFactory(partner=head.partner, email="zweite@musterdorf.example")
    assert sign_in(client, other.email, TEST_PASSWORD).status_code == 302


def test_behind_the_proxy_each_client_ip_counts_for_itself(client, head, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    people = [
        DepartmentHeadFactory(partner=head.partner, email=f"person{number}@musterdorf.example")
        for number in range(11)
    ]
    # Ten failures from one client IP (for ten addresses: the per-address limit stays clear).
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for person in people[:10]:
        assert sign_in(client, person.email, "falsch", **attacker).status_code == 200
    assert sign_in(client, people[10].email, "falsch", **attacker).status_code == 429
    # The proxy is the same for everyone; another client IP behind it is not blocked. A client
    # that sends its own X-Forwarded-For does not escape: the proxy appends the real IP.
    assert (
        sign_in(client, head.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code
        == 302
    )
    client.logout()
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.99, 203.0.113.7"}
    assert sign_in(client, people[10].email, "falsch", **spoofed).status_code == 429


def test_password_reset_requests_for_one_address_are_limited(client, head):
    url = reverse("account_reset_password")
    for _attempt in range(5):
        assert client.post(url, {"email": head.email}).status_code == 302
    assert client.post(url, {"email": head.email}).status_code == 429


def test_the_admin_login_is_the_portals_sign_in(client, head, office_admin):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(head)
    assert client.get(reverse("admin:login")).status_code == 403  # signed in, not the office
    client.force_login(office_admin)
    assert client.get(reverse("admin:index")).status_code == 200
    # Posting a password to the admin's own form does not sign in: no way around the limits.
    client.logout()
    response = client.post(
        reverse("admin:login"), {"username": office_admin.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Sessions: idle timeout, absolute lifetime, sign-out and deactivation end them on the server.


def signed_in(client, person):
    assert sign_in(client, person.email, TEST_PASSWORD).status_code == 302
    return client.session.session_key


def test_requests_keep_a_session_alive_without_writing_it_each_time(client, head, settings):
    key = signed_in(client, head)
    client.get(reverse("digest_settings"))
    expiry = Session.objects.get(session_key=key).expire_date
    client.get(reverse("digest_settings"))
    assert Session.objects.get(session_key=key).expire_date == expiry  # no write
    session = client.session
    session[SEEN_AT] = (
        timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE / 5)
    ).isoformat()
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get(reverse("digest_settings"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_session_idle_longer_than_the_timeout_is_over(client, head):
    key = signed_in(client, head)
    assert client.get(reverse("digest_settings")).status_code == 200
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("digest_settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_session_ends_after_its_lifetime_however_active(client, head, settings):
    signed_in(client, head)
    assert client.get(reverse("digest_settings")).status_code == 200  # notes the time
    session = client.session
    started = timezone.now() - timedelta(hours=settings.SESSION_LIFETIME_HOURS, minutes=1)
    session[SIGNED_IN_AT] = started.isoformat()
    session.save()
    response = client.get(reverse("digest_settings"), follow=True)
    assert "Ihre Sitzung ist abgelaufen" in response.text
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_signing_out_deletes_the_session_on_the_server(client, head):
    key = signed_in(client, head)
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivating_a_person_ends_all_their_sessions(client, head, office_admin):
    laptop, phone = Client(), Client()
    keys = [signed_in(laptop, head), signed_in(phone, head)]
    office = Client()
    office.force_login(office_admin)
    change = reverse("admin:partners_user_change", args=[head.pk])
    form = office.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "partner": head.partner.pk,
            "is_active": "",
            "date_joined_0": head.date_joined.strftime("%d.%m.%Y"),
            "date_joined_1": head.date_joined.strftime("%H:%M:%S"),
            "emailaddress_set-TOTAL_FORMS": "0",
            "emailaddress_set-INITIAL_FORMS": "0",
        }
    )
    data.pop("is_active")
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = office.post(change, data, follow=True)
    assert "2 Sitzung(en) beendet" in response.text, [str(m) for m in response.context["messages"]]
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert laptop.get(reverse("digest_settings")).status_code == 302


def test_people_see_and_end_their_own_sessions(client, head):
    signed_in(client, head)
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 200
    assert 'lang="de"' in response.text


@pytest.mark.parametrize("known", [True, False], ids=["known address", "unknown address"])
def test_password_reset_mails_speak_german_with_sie(client, head, sent_mail, known):
    email = head.email if known else "niemand@musterdorf.example"
    client.post(reverse("account_reset_password"), {"email": email})
    [message] = sent_mail()
    assert message.subject.startswith("[Kooperationsportal] ")
    assert message.body.startswith("Guten Tag,")
    assert "Kooperationsportal" in message.body
    assert not re.search(r"\b(du|dein|deine|dich|dir)\b", message.body, re.IGNORECASE)
    if known:
        assert "/konto/password/reset/key/" in message.body
    else:
        assert "kein Konto" in message.body
