"""Setting up the second factor as a person sees it: numbered steps, each code accepted once
(also the one that activated the app), a reused code called reused, and the recovery codes as
a list to download and print."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import DepartmentHeadFactory
from tests.kooperation.test_mfa import SET_UP, clock, code, required, set_up_totp, sign_in

pytestmark = pytest.mark.django_db

__all__ = ["clock", "required"]  # fixtures shared with test_mfa

USED = "Dieser Code wurde bereits verwendet"


def test_the_code_that_activated_the_app_does_not_sign_in_again(client, partner, clock):
    head = DepartmentHeadFactory(partner=partner)
    sign_in(client, head)
    secret = set_up_totp(client, clock)

    other = Client()  # elsewhere, within the same 30 seconds, with the password and that code
    assert sign_in(other, head).url == reverse("mfa_authenticate")
    response = other.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    assert response.status_code == 200
    assert USED in response.text
    assert other.get(reverse("home")).wsgi_request.user.is_anonymous

    clock.now += 30
    response = other.post(reverse("mfa_authenticate"), {"code": code(secret, clock)})
    assert response.url == reverse("home")


def test_a_reused_sign_in_code_is_called_reused_and_a_wrong_one_wrong(client, partner, clock):
    head = DepartmentHeadFactory(partner=partner)
    sign_in(client, head)
    secret = set_up_totp(client, clock)
    client.post(reverse("account_logout"))
    clock.now += 30
    right = code(secret, clock)
    first = Client()
    sign_in(first, head)
    assert first.post(reverse("mfa_authenticate"), {"code": right}).url == reverse("home")

    second = Client()
    sign_in(second, head)
    response = second.post(reverse("mfa_authenticate"), {"code": right})
    assert USED in response.text
    assert "Falscher Code" not in response.text
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    response = second.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "Falscher Code" in response.text
    assert USED not in response.text


def test_the_set_up_page_numbers_its_steps_and_holds_the_code_field_in_them(client, partner):
    sign_in(client, DepartmentHeadFactory(partner=partner))
    page = client.get(SET_UP).text
    steps = re.search(r'<ol class="kern-list kern-list--number[^"]*"[^>]*>(.*?)</ol>', page, re.S)
    assert steps, "the steps are a numbered list"
    items = re.findall(r"<li>(.*?)</li>", steps.group(1), re.S)
    assert len(items) == 4
    assert 'src="data:image/svg+xml;base64,' in items[1]
    assert 'name="code"' in items[2]
    assert "Wiederherstellungscodes" in items[3]


def test_the_ten_recovery_codes_are_a_list_to_download_and_print(client, partner, clock):
    head = DepartmentHeadFactory(partner=partner)
    sign_in(client, head)
    set_up_totp(client, clock)
    page = client.get(reverse("mfa_view_recovery_codes")).text

    listed = re.search(r'<ol class="kern-list kern-list--number"[^>]*>(.*?)</ol>', page, re.S)
    codes = re.findall(r"<li><code>(\w+)</code></li>", listed.group(1))
    assert len(codes) == 10
    assert "Wiederherstellungscodes" in page
    assert "Recovery" not in page
    assert f'href="{reverse("mfa_download_recovery_codes")}" download' in page
    assert "data-print" in page
    assert "js/print.js" in page
    assert "Strg+P" in page  # printing without JavaScript

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment")
    text = download.content.decode()
    assert head.email in text
    assert "Jeder Code gilt einmal" in text
    assert [line for line in text.splitlines() if line in codes] == codes
    assert Authenticator.objects.filter(user=head).count() == 2
