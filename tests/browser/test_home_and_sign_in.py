"""The home page and the sign-in in a real Chromium, checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from kooperation.devdata.demo import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    load_demo_data()


def test_home_page_lists_the_partners_and_fields_without_axe_violations(demo, page, axe_violations):
    page.goto("/")

    expect(page).to_have_title(re.compile("Startseite"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    partners = page.get_by_role("region", name="Die Partner")
    for name in ("Stadt Braunschweig", "Stadt Salzgitter", "Stadt Wolfsburg", "Landkreis Gifhorn"):
        expect(partners.get_by_role("heading", name=name)).to_be_visible()
    fields = page.get_by_role("region", name="Arbeitsfelder")
    for name in ("Basisdienste", "Online-Dienste", "Fachverfahren", "Schnittstellen"):
        expect(fields.get_by_role("heading", name=name)).to_be_visible()
    # The KERN stylesheet and its font are served by the portal itself.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Fira Sans"')
    assert axe_violations(page) == []


def test_skip_link_moves_focus_to_the_main_content(demo, page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_department_head_signs_in_and_sees_their_name(demo, page, axe_violations):
    page.goto("/")
    page.get_by_role("link", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert axe_violations(page) == []

    page.get_by_label("E-Mail").fill("dezernat.braunschweig@demo.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_test_id("person-name")).to_have_text("Dr. Thorsten Kornblum")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_contain_text(
        "Stadt Braunschweig"
    )
    assert axe_violations(page) == []


def test_wrong_password_is_refused_with_a_clear_message(demo, page, axe_violations):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill("dezernat.braunschweig@demo.example")
    page.get_by_label("Passwort").fill("falsches-passwort")
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "Die E-Mail-Adresse und/oder das Passwort sind leider falsch."
    )
    # The address typed stays in the form; nothing is lost.
    expect(page.get_by_label("E-Mail")).to_have_value("dezernat.braunschweig@demo.example")
    assert axe_violations(page) == []


def test_sign_up_page_and_its_refusal_have_no_axe_violations(page, axe_violations):
    page.goto("/konto/signup/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Ihr Name").fill("Anna Adorf")
    page.get_by_label("E-Mail", exact=False).first.fill("anna@gmail.example")
    page.get_by_label("Passwort", exact=True).fill("ein-langes-passwort-7")
    page.get_by_label("Passwort (Wiederholung)").fill("ein-langes-passwort-7")
    page.get_by_role("button", name="Registrieren").click()
    expect(page.get_by_text("Mit dieser Adresse ist keine Registrierung möglich")).to_be_visible()
    assert axe_violations(page) == []


def test_the_accessibility_statement_and_its_feedback_form_have_no_axe_violations(
    page, axe_violations
):
    page.goto("/")
    page.get_by_role("link", name="Barrierefreiheit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text("Dieses Feld ist zwingend erforderlich.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Ihre Rückmeldung").fill(
        "Die Tabelle lässt sich nicht mit der Tastatur scrollen."
    )
    page.get_by_role("button", name="Rückmeldung senden").click()
    thanks = page.get_by_role("status").filter(has_text="Danke für Ihre Rückmeldung")
    expect(thanks).to_be_visible()
