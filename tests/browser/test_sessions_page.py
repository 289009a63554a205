"""/konto/sessions/ on a phone: German, no sideways scrolling, and a button that says which
sessions it ends."""

import pytest
from playwright.sync_api import expect

from kooperation.devdata.demo import load_demo_data
from tests.browser.accounts import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sessions_page_fits_a_phone_and_names_what_it_signs_out(
    page, live_server, axe_violations
):
    load_demo_data()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "team.salzgitter@demo.example")
    elsewhere = page.context.browser.new_context(base_url=live_server.url, locale="de-DE")
    other = elsewhere.new_page()  # a second browser, signed in as the same person
    sign_in(other, "team.salzgitter@demo.example")

    page.goto("/konto/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Sitzungen")
    expect(page.get_by_test_id("session")).to_have_count(2)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{width} px breit"
    assert axe_violations(page) == []

    page.get_by_role("button", name="Alle anderen Sitzungen abmelden").click()
    expect(page.get_by_test_id("session")).to_have_count(1)
    expect(page.get_by_role("button", name="In diesem Browser abmelden")).to_be_visible()
    other.goto("/konto/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Anmelden")
    elsewhere.close()
