"""A municipality applies, every demo department head approves, and it becomes a partner."""

import re

import pytest
from playwright.sync_api import expect

from kooperation.devdata.demo import ADMIN_EMAIL, PARTNERS, load_demo_data
from tests.browser.accounts import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_applies_heads_approve_and_the_new_partner_is_in(page, axe_violations, outbox_with):
    load_demo_data()
    # The demo's position in Mitzeichnung asked the other heads to co-sign: not this journey's.
    outbox_with(3).clear()

    page.goto("/")
    page.get_by_role("link", name="Beitreten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitritt zur Kooperation beantragen")
    assert axe_violations(page) == []
    page.get_by_label("Name der Kommune").fill("Stadt Wolfenbüttel")
    page.get_by_label("Art", exact=True).select_option(label="Große kreisangehörige Stadt")
    page.get_by_label("Amtlicher Schlüssel").fill("03158037")
    page.get_by_label("Website").fill("https://www.wolfenbuettel.de")
    page.get_by_label("E-Mail-Domains").fill("wolfenbuettel.example")
    page.get_by_label("Ansprechperson", exact=True).fill("Maria Neumann")
    page.get_by_label("E-Mail der Ansprechperson").fill("maria.neumann@wolfenbuettel.example")
    page.get_by_label("Motivation").fill("Wir möchten Basisdienste und Online-Dienste teilen.")
    page.get_by_role("button", name="Antrag senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihr Antrag ist eingegangen")
    assert axe_violations(page) == []

    # The applicant confirms the address with the link in the receipt.
    [receipt] = outbox_with(1)
    link = re.search(r"https?://\S+(/beitritt/bestaetigen/\S+/)", receipt.body).group(1)
    page.goto(link)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Adresse bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Adresse ist bestätigt")

    for number, demo in enumerate(PARTNERS, start=1):
        sign_in(page, f"dezernat.{demo.slug}@demo.example")
        page.get_by_role("link", name="Beitrittsanträge").click()
        if number == 1:
            assert axe_violations(page) == []
        page.get_by_role("link", name="Stadt Wolfenbüttel").click()
        page.get_by_label("Zustimmen").check()
        page.get_by_label("Kommentar").fill(f"Zustimmung von {demo.name}.")
        if number == 1:
            assert axe_violations(page) == []
        if number == len(PARTNERS):
            # The last approval decides: the form asks to confirm that first.
            page.get_by_role("button", name="Stimme abgeben").click()
            expect(page.get_by_text("Bitte bestätigen Sie")).to_be_visible()
            assert axe_violations(page) == []
            page.get_by_label("Ich bestätige meine Stimme").check()
        page.get_by_role("button", name="Stimme abgeben").click()
        expect(page.get_by_role("status")).to_contain_text(f"Ihre Stimme für {demo.name}")
        if number == len(PARTNERS):
            expect(page.get_by_role("status")).to_contain_text(
                "Damit ist Stadt Wolfenbüttel aufgenommen."
            )
        sign_out(page)

    page.get_by_role("link", name="Partner", exact=True).click()
    expect(page.get_by_role("heading", name="Stadt Wolfenbüttel")).to_be_visible()
    assert axe_violations(page) == []

    sign_in(page, ADMIN_EMAIL)
    page.get_by_role("link", name="Vereinbarung").click()
    page.get_by_role("link", name="Fassung mit Beitritt Stadt Wolfenbüttel").click()
    parties = page.get_by_role("region", name="Vertragsparteien und Unterschriften")
    expect(parties).to_contain_text("Stadt Wolfenbüttel: noch nicht unterzeichnet")
    expect(parties).to_contain_text("Landkreis Gifhorn: noch nicht unterzeichnet")
    expect(page.get_by_text("Neue Vertragspartei: Stadt Wolfenbüttel")).to_be_visible()
    assert axe_violations(page) == []


def test_public_agreement_page_has_no_axe_violations(page, axe_violations):
    load_demo_data()
    page.goto("/vereinbarung/")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Landkreises Gifhorn")
    expect(page.get_by_text("Dr. Thomas Walter (Erster Kreisrat)")).to_be_visible()
    # What the version in force changed, on the page itself.
    expect(page.get_by_text("Neue Vertragspartei: Landkreis Gifhorn")).to_be_visible()
    expect(page.get_by_test_id("changes").locator("ins").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Kooperationsvereinbarung mit Beitritt").click()
    expect(page.get_by_role("heading", name="Änderungen gegenüber")).to_be_visible()
    assert axe_violations(page) == []
