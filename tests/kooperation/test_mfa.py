"""Second factor at sign-in: department heads and the office's admins must set up an
authenticator app before they can do anything else; codes are computed here as an app would."""

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kooperation.mfa import MFAAdapter
from kooperation.middleware import MFARequiredMiddleware
from tests.factories import TEST_PASSWORD, AdminFactory, DepartmentHeadFactory, UserFactory
from tests.kooperation.test_url_walk import outcome, walkable
from tests.urlwalk import build_portal

pytestmark = pytest.mark.django_db

SET_UP = "/konto/2fa/totp/activate/"
NOW = int(time.time())


@pytest.fixture(autouse=True)
def required(settings):
    settings.MFA_REQUIRED = True


@pytest.fixture
def clock(monkeypatch):
    """allauth's TOTP clock, held still (and moved on when a test says so)."""

    class Clock:
        now = NOW

        def time(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", clock)
    return clock


def code(secret, clock):
    return format_hotp_value(hotp_value(secret, int(clock.now) // 30))


def sign_in(client, person):
    return client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})


def set_up_totp(client, clock):
    """Signs the person up for TOTP the way the page asks; returns the secret."""
    response = client.get(SET_UP)
    assert response.status_code == 200
    secret = response.context["form"].secret
    assert secret in response.text  # the key to type in by hand
    assert 'src="data:image/svg+xml;base64,' in response.text  # the QR code
    response = client.post(SET_UP, {"code": code(secret, clock)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


@pytest.mark.parametrize("factory", [DepartmentHeadFactory, AdminFactory])
def test_without_mfa_every_page_leads_to_its_set_up(client, factory):
    portal = build_portal()
    partner = portal.person("head").partner
    client.force_login(factory(partner=partner) if factory is DepartmentHeadFactory else factory())
    led_away = {}
    for name in walkable(portal):
        if name in MFARequiredMiddleware.OPEN:
            continue
        led_away[name] = outcome(client.get(portal.url(name)))
    assert len(led_away) > 80  # the portal's pages and the admin's
    assert {name: to for name, to in led_away.items() if to != SET_UP} == {}


def test_without_mfa_nothing_can_be_posted_either(client, partner):
    client.force_login(DepartmentHeadFactory(partner=partner))
    response = client.post(reverse("account"), {"name": "Geändert", "job_title": ""})
    assert response.url == SET_UP
    assert not type(partner.people.first()).objects.filter(name="Geändert").exists()


def test_the_set_up_page_explains_itself_and_the_legal_pages_stay_open(client, partner):
    sign_in(client, DepartmentHeadFactory(partner=partner))
    response = client.get(reverse("home"), follow=True)
    assert "Richten Sie bitte zuerst eine Authenticator-App ein" in response.text
    assert "Zwei-Faktor-Anmeldung einrichten" in response.text
    for name in ["imprint", "privacy", "accessibility"]:
        assert client.get(reverse(name)).status_code == 200


def test_staff_are_not_asked_for_a_second_factor(client, partner):
    client.force_login(UserFactory(partner=partner))
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200


def test_the_requirement_can_be_switched_off_for_the_demo(client, partner, settings):
    settings.MFA_REQUIRED = False
    client.force_login(DepartmentHeadFactory(partner=partner))
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth mails after the commit, within the request
def test_a_head_sets_up_totp_and_then_reaches_the_portal(client, partner, clock, sent_mail):
    head = DepartmentHeadFactory(partner=partner)
    assert sign_in(client, head).url == reverse("home")
    assert client.get(reverse("home")).url == SET_UP

    secret = set_up_totp(client, clock)

    # Recovery codes come right after, for a lost phone; the portal is open now.
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert len(response.context["unused_codes"]) == 10
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200
    # The secret is stored encrypted and reads back.
    stored = Authenticator.objects.get(user=head, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert MFAAdapter().decrypt(stored) == secret
    # …and the person is told by e-mail, in case it was not them.
    mailoutbox = sent_mail()
    assert [mail.to for mail in mailoutbox] == [[head.email]]
    assert "Authenticator-App aktiviert" in mailoutbox[0].body
    assert "Waren Sie das nicht" in mailoutbox[0].body


def test_a_wrong_code_does_not_set_up_totp(client, partner, clock):
    head = DepartmentHeadFactory(partner=partner)
    sign_in(client, head)
    secret = client.get(SET_UP).context["form"].secret
    wrong = f"{(int(code(secret, clock)) + 1) % 1000000:06d}"
    response = client.post(SET_UP, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=head).exists()


@pytest.fixture
def head_with_totp(partner, clock):
    head = DepartmentHeadFactory(partner=partner)
    client = Client()
    sign_in(client, head)
    secret = set_up_totp(client, clock)
    client.post(reverse("account_logout"))
    clock.now += 30  # the code of the set-up is used up; sign-ins come in a later window
    return head, secret


def test_sign_in_asks_for_the_code_and_refuses_forged_and_replayed_ones(head_with_totp, clock):
    head, secret = head_with_totp
    clock.now += 60  # a new window: the code used for the set-up is not the one asked now
    client = Client()
    assert sign_in(client, head).url == reverse("mfa_authenticate")
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous  # not signed in yet

    right = code(secret, clock)
    forged = [f"{(int(right) + 1) % 1000000:06d}", "000000", "abcdef", ""]
    for attempt in forged:
        response = client.post(reverse("mfa_authenticate"), {"code": attempt})
        assert response.status_code == 200, attempt
        assert response.context["form"].errors, attempt
    response = client.post(reverse("mfa_authenticate"), {"code": right})
    assert response.url == reverse("home")
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200

    # The same code, within the same 30 seconds, a second time: refused.
    other = Client()
    sign_in(other, head)
    response = other.post(reverse("mfa_authenticate"), {"code": right})
    assert response.status_code == 200
    assert response.context["form"].errors
    # The next window's code is accepted.
    clock.now += 30
    response = other.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    assert response.url == reverse("home")


def test_a_recovery_code_signs_in_once(head_with_totp, clock):
    head, _ = head_with_totp
    recovery = RecoveryCodes(
        Authenticator.objects.get(user=head, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    client = Client()
    sign_in(client, head)
    assert client.post(reverse("mfa_authenticate"), {"code": recovery}).url == reverse("home")
    again = Client()
    sign_in(again, head)
    assert again.post(reverse("mfa_authenticate"), {"code": recovery}).status_code == 200


def test_heads_cannot_switch_their_second_factor_off(head_with_totp, clock):
    head, secret = head_with_totp
    client = Client()
    sign_in(client, head)
    clock.now += 30
    client.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "ist die Zwei-Faktor-Anmeldung vorgeschrieben" in response.text
    assert Authenticator.objects.filter(user=head, type=Authenticator.Type.TOTP).exists()


def test_the_overview_offers_switching_off_only_to_those_who_may(head_with_totp, clock):
    head, secret = head_with_totp
    client = Client()
    sign_in(client, head)
    client.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    page = client.get(reverse("mfa_index")).text
    assert reverse("mfa_deactivate_totp") not in page
    assert "Für Ihre Rolle ist sie vorgeschrieben" in page

    staff = UserFactory(partner=head.partner)
    other = Client()
    sign_in(other, staff)
    other.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    own = set_up_totp(other, clock)
    assert own
    page = other.get(reverse("mfa_index")).text
    assert reverse("mfa_deactivate_totp") in page
    assert "Für Ihre Rolle ist sie vorgeschrieben" not in page


@pytest.mark.django_db(transaction=True)  # the notice is mailed after the commit
def test_the_office_resets_a_lost_phone_and_the_sessions_end(head_with_totp, clock, sent_mail):
    head, secret = head_with_totp
    client = Client()
    sign_in(client, head)
    client.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    assert client.get(reverse("initiatives:initiative_list")).status_code == 200
    assert Authenticator.objects.filter(user=head).count() == 2  # app and recovery codes
    admin = Client()
    admin.force_login(AdminFactory())
    sent_mail().clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.MFA_REQUIRED", False)  # the admin's own factor
        totp = Authenticator.objects.get(user=head, type=Authenticator.Type.TOTP)
        response = admin.post(
            reverse("admin:kooperation_secondfactor_delete", args=[totp.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    # App and recovery codes (kept with the lost phone, maybe) are gone together, the
    # sessions are over, the person is told.
    assert not Authenticator.objects.filter(user=head).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert [mail.to for mail in sent_mail()] == [[head.email]]
    sign_in(client, head)
    assert client.get(reverse("home")).url == SET_UP  # no second-factor step: nothing left


def test_after_a_key_rotation_the_old_key_decrypts_until_the_secrets_are_rotated(
    head_with_totp, clock, settings
):
    head, secret = head_with_totp
    totp = Authenticator.objects.get(user=head, type=Authenticator.Type.TOTP)
    before = totp.data["secret"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "ein-neuer-schluessel-" + "y" * 50
    assert MFAAdapter().decrypt(before) == secret  # via the fallback
    assert call("mfa_rotate_keys") == "2 zweite(r) Faktor(en) neu verschlüsselt."
    totp.refresh_from_db()
    assert totp.data["secret"] != before
    settings.SECRET_KEY_FALLBACKS = []
    assert MFAAdapter().decrypt(totp.data["secret"]) == secret  # the new key alone


def test_a_lost_key_makes_codes_fail_instead_of_the_page(head_with_totp, clock, settings):
    head, secret = head_with_totp
    settings.SECRET_KEY = "ein-ganz-anderer-schluessel-" + "z" * 50
    client = Client()
    sign_in(client, head)
    response = client.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    assert response.status_code == 200
    assert response.context["form"].errors
    # The way out: the office (or, for the last admin, the operator) resets the factor.
    assert "zurückgesetzt" in call("mfa_reset", head.email.upper())
    assert not Authenticator.objects.filter(user=head).exists()


def test_nobody_is_asked_for_the_password_again_within_five_minutes_of_signing_in(
    client, partner, monkeypatch
):
    """The README's promise, for staff who add a factor of their own as for heads who must."""
    sign_in(client, UserFactory(partner=partner))
    assert client.get(SET_UP).status_code == 200
    other = Client()
    sign_in(other, DepartmentHeadFactory(partner=partner))
    assert other.get(SET_UP).status_code == 200

    later = time.time() + 5 * 60 + 1
    clock = type("Clock", (), {"time": staticmethod(lambda: later)})
    monkeypatch.setattr("allauth.account.internal.flows.reauthentication.time", clock)
    assert "/konto/reauthenticate/" in client.get(SET_UP).url


def call(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue().strip()
