"""A new colleague signs up with a partner address and confirms it through the e-mail; a
department head sets up the authenticator app with a code computed here, as the app would,
and signs in with it again. axe checks every account page on the way."""

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from kooperation.devdata.demo import DEMO_PASSWORD, load_demo_data
from partners.models import User
from tests.browser.accounts import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ein-eigenes-passwort-2026"


def totp(secret, offset=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def window():
    return int(time.time()) // 30


def wait_for_window(at_least, seconds_left=0):
    """Waits (not asserts) until the authenticator app's 30-second window `at_least` has come
    and at least `seconds_left` of it remain: a code shown then stays valid for the steps."""
    while window() < at_least or 30 - time.time() % 30 < seconds_left:
        time.sleep(0.5)


def test_a_partner_address_signs_up_confirms_and_signs_in(page, axe_violations, sent_mail):
    load_demo_data()
    page.goto("/konto/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/konto/login/")
    page.get_by_role("link", name="Mit Ihrer dienstlichen Adresse registrieren").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Ihr Name").fill("Paula Probe")
    page.get_by_label("E-Mail-Adresse").fill("paula.probe@braunschweig.de")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.get_by_role("button", name="Registrieren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("E-Mail")
    assert axe_violations(page) == []

    [message] = [m for m in sent_mail() if "paula.probe@braunschweig.de" in m.to]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", message.body).group(0)
    page.goto(urlparse(link).path)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Bestätigen").click()

    page.get_by_label("E-Mail-Adresse").fill("paula.probe@braunschweig.de")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_test_id("person-name")).to_have_text("Paula Probe")

    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_test_id("partner-and-role")).to_contain_text("Stadt Braunschweig")
    expect(page.get_by_test_id("partner-and-role")).to_contain_text("Mitarbeiter:in")
    assert axe_violations(page) == []
    person = User.objects.get(email="paula.probe@braunschweig.de")
    assert person.partner.slug == "braunschweig"


def test_a_head_sets_up_the_authenticator_app_and_signs_in_with_it(page, axe_violations, settings):
    settings.MFA_REQUIRED = True
    load_demo_data()
    sign_in(page, "dezernat.gifhorn@demo.example")

    # Led to the set-up, whatever page is asked for.
    page.goto("/initiativen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung einrichten")
    expect(page.get_by_role("status").first).to_contain_text("Authenticator-App")
    expect(page.get_by_role("img", name="QR-Code")).to_be_visible()
    assert axe_violations(page) == []

    secret = page.get_by_label("Schlüssel zur Eingabe von Hand").input_value()
    page.locator("input[name=code]").fill("000000" if totp(secret) != "000000" else "111111")
    page.get_by_role("button", name="Einrichten").click()
    expect(page.locator(".kern-error").first).to_be_visible()  # a wrong code is refused
    assert axe_violations(page) == []
    # The steps are numbered, as the screen shows them.
    steps = page.locator("ol.kern-list--number").first
    expect(steps.locator(":scope > li")).to_have_count(4)
    assert steps.evaluate("list => getComputedStyle(list).listStyleType") == "decimal"
    wait_for_window(window(), seconds_left=15)
    activation_code, activation_window = totp(secret), window()
    page.locator("input[name=code]").fill(activation_code)
    page.get_by_role("button", name="Einrichten").click()

    # The code that activated the app signs nobody in again, even within its 30 seconds.
    elsewhere = page.context.browser.new_context(base_url=page.url.split("/konto")[0])
    other = elsewhere.new_page()
    other.goto("/konto/login/")
    other.get_by_label("E-Mail-Adresse").fill("dezernat.gifhorn@demo.example")
    other.get_by_label("Passwort").fill(DEMO_PASSWORD)
    other.get_by_role("button", name="Anmelden").click()
    other.locator("input[name=code]").fill(activation_code)
    other.get_by_role("button", name="Anmelden").click()
    refusal = other.locator(".kern-error").first
    expect(refusal).to_contain_text("Dieser Code wurde bereits verwendet")
    elsewhere.close()

    # The ten recovery codes: a numbered list, to download as a text file and to print.
    expect(page.get_by_role("heading", level=1)).to_have_text("Wiederherstellungscodes")
    codes = page.locator("#recovery_codes li").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Textdatei herunterladen").click()
    downloaded = Path(download.value.path()).read_text(encoding="utf-8").split()
    assert [code for code in downloaded if code in codes] == codes
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Drucken").click()
    assert page.evaluate("window.printed") is True

    page.goto("/konto/2fa/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_test_id("mfa-state")).to_have_text("eingerichtet (Authenticator-App)")
    assert axe_violations(page) == []
    for path in [
        "/konto/email/",
        "/konto/password/change/",
        "/konto/sessions/",
        "/konto/reauthenticate/",
        "/konto/2fa/recovery-codes/generate/",
        "/konto/2fa/totp/deactivate/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe_violations(page) == [], path
    sign_out(page)

    # Signing in again asks for a code from the app …
    page.goto("/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("dezernat.gifhorn@demo.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung")
    assert axe_violations(page) == []
    wait_for_window(activation_window + 1, seconds_left=5)  # a code not used before
    page.locator("input[name=code]").fill(totp(secret))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_test_id("person-name")).to_be_visible()
    page.goto("/initiativen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiativen")
    sign_out(page)

    # … or, with the phone lost, one of the recovery codes.
    page.goto("/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("dezernat.gifhorn@demo.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.locator("input[name=code]").fill(codes[0])
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_test_id("person-name")).to_be_visible()
