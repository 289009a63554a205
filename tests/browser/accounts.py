"""Signing in and out as a person does it, shared by the browser journeys."""

from playwright.sync_api import expect

from kooperation.devdata.demo import DEMO_PASSWORD


def sign_in(page, email):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_test_id("person-name")).to_be_attached()
    open_menu(page)
    expect(page.get_by_test_id("person-name")).to_be_visible()


def open_menu(page):
    """On a narrow screen the navigation waits behind "Menü" (a disclosure): open it."""
    menu = page.locator("details.portal-menu")
    if menu.locator("summary").is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def sign_out(page):
    open_menu(page)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
