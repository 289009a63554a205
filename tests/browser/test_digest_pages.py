"""A department head sets the digest, sees their sessions and data, then unsubscribes through
the link of an e-mail."""

import pytest
from playwright.sync_api import expect

from kooperation import digest
from kooperation.devdata.demo import load_demo_data
from kooperation.models import DigestSetting
from partners.models import User
from tests.browser.accounts import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_chooses_the_digest_and_unsubscribes_by_link(page, axe_violations):
    load_demo_data()
    sign_in(page, "dezernat.gifhorn@demo.example")
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_test_id("digest-state")).to_have_text("Täglich – alle Handlungsfelder")
    page.get_by_role("link", name="Zusammenfassung einstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zusammenfassung per E-Mail")
    expect(page.get_by_label("Täglich")).to_be_checked()
    assert axe_violations(page) == []

    page.get_by_label("Wöchentlich").check()
    page.get_by_label("Fachverfahren").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.get_by_role("status")).to_contain_text("sind gespeichert")
    expect(page.get_by_label("Wöchentlich")).to_be_checked()
    expect(page.get_by_label("Fachverfahren")).to_be_checked()
    assert axe_violations(page) == []

    page.goto("/konto/sessions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_test_id("digest-state")).to_have_text("Wöchentlich – Fachverfahren")
    page.get_by_role("link", name="Meine Daten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.get_by_text("Bitte bestätigen Sie").first).to_be_visible()
    assert axe_violations(page) == []
    sign_out(page)

    head = User.objects.get(email="dezernat.gifhorn@demo.example")
    setting = DigestSetting.objects.get(user=head)
    assert setting.frequency == "weekly"
    assert [area.name for area in setting.areas.all()] == ["Fachverfahren"]

    page.goto(f"/zusammenfassung/abbestellen/{digest.unsubscribe_token(head)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zusammenfassung abbestellen")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Abbestellen").click()
    expect(page.get_by_role("status")).to_contain_text("erhält keine Zusammenfassung mehr")
    assert axe_violations(page) == []
    setting.refresh_from_db()
    assert setting.frequency == "never"

    page.goto("/zusammenfassung/abbestellen/gefaelscht/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieser Link ist ungültig")
    assert axe_violations(page) == []
