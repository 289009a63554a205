"""Staff find and propose an initiative, two department heads commit and it is active; the
partners' solutions show their common ground. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from kooperation.devdata.demo import load_demo_data
from tests.browser.accounts import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Digitale Sondernutzungserlaubnis"


def open_initiative(page, title):
    page.get_by_role("link", name="Initiativen", exact=True).click()
    page.get_by_label("Suche").fill(title)
    page.get_by_role("button", name="Anwenden").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_staff_propose_two_heads_commit_and_the_initiative_is_active(page, axe_violations):
    load_demo_data()
    sign_in(page, "team.braunschweig@demo.example")

    # Filter by field of work and search; the state lands in the URL.
    page.get_by_role("link", name="Initiativen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiativen")
    assert axe_violations(page) == []
    page.get_by_label(re.compile(r"^Online-Dienste \(\d+\)$")).check()
    page.get_by_label("Suche").fill("Wohngeld")
    page.get_by_role("button", name="Anwenden").click()
    expect(page).to_have_url(re.compile(r"area=online-dienste.*q=Wohngeld|q=Wohngeld.*area="))
    results = page.get_by_role("region", name=re.compile("Initiative"))
    expect(page.get_by_role("heading", name="1 Initiative", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Wohngeld digital beantragen")).to_be_visible()
    expect(results.get_by_role("link", name="Kita-Platz online anmelden")).to_have_count(0)
    assert axe_violations(page) == []

    # A broken filter value in a shared link: a clear message, no error page.
    page.goto("/initiativen/?status=kaputt&area=gibtsnicht")
    expect(
        page.get_by_role("alert").filter(has_text="kaputt ist keine gültige Auswahl")
    ).to_be_visible()
    assert axe_violations(page) == []

    # Propose: an empty form first, then a complete one.
    page.goto("/initiativen/")
    page.get_by_role("link", name="Initiative vorschlagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiative vorschlagen")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Vorschlag speichern").click()
    expect(page.get_by_text("Dieses Feld ist zwingend erforderlich.").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Zusammenfassung").fill(
        "Sondernutzung öffentlicher Straßen online beantragen."
    )
    page.get_by_label("Beschreibung").fill(
        "Ein **gemeinsamer** Online-Dienst.\n\n<script>alert('x')</script>\n\n- Antrag\n- Bescheid"
    )
    page.get_by_label("Arbeitsfeld").select_option(label="Online-Dienste")
    page.get_by_label("OZG-Bezug").fill("Sondernutzungserlaubnis")
    page.get_by_role("button", name="Vorschlag speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Vorschlag ist gespeichert")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Vorschlag", exact=True).first).to_be_visible()
    expect(page.locator(".portal-markdown strong")).to_have_text("gemeinsamer")
    expect(page.locator(".portal-markdown script")).to_have_count(0)
    expect(page.get_by_test_id("follower-count")).to_have_text("1 Person")
    assert axe_violations(page) == []

    # Discuss: write, then edit, and the comment says it was edited.
    page.get_by_label("Ihr Kommentar").fill("Wir bringen die Erfahrung aus dem Pilot mit.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar ist veröffentlicht")
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommentar bearbeiten")
    assert axe_violations(page) == []
    page.get_by_label("Ihr Kommentar").fill("Wir bringen die Erfahrung aus zwei Piloten mit.")
    page.get_by_role("button", name="Änderungen speichern").click()
    comment = page.locator(".portal-comment")
    expect(comment).to_contain_text("zwei Piloten")
    expect(comment).to_contain_text("bearbeitet")
    sign_out(page)

    # Two department heads commit; the second commitment makes it active.
    sign_in(page, "dezernat.braunschweig@demo.example")
    open_initiative(page, TITLE)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Beteiligung zusagen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Für Stadt Braunschweig gilt jetzt: Zugesagt"
    )
    expect(page.get_by_test_id("timeline")).not_to_contain_text("Aktiv")
    sign_out(page)

    sign_in(page, "dezernat.salzgitter@demo.example")
    open_initiative(page, TITLE)
    page.get_by_role("button", name="Beteiligung zusagen").click()
    status = page.get_by_role("status")
    expect(status.filter(has_text="Für Stadt Salzgitter gilt jetzt: Zugesagt")).to_be_visible()
    expect(status.filter(has_text="Die Initiative ist aktiv")).to_be_visible()
    expect(page.get_by_text("Aktiv", exact=True).first).to_be_visible()
    participations = page.get_by_test_id("participations")
    expect(participations).to_contain_text("Stadt Braunschweig: Zugesagt")
    expect(participations).to_contain_text("Stadt Salzgitter: Zugesagt")
    expect(page.get_by_test_id("timeline")).to_contain_text("Aktiv: zwei Partner haben zugesagt")
    assert axe_violations(page) == []


def test_a_recorded_solution_becomes_common_ground(page, axe_violations):
    load_demo_data()
    sign_in(page, "team.gifhorn@demo.example")
    page.get_by_role("link", name="Gemeinsamkeiten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeinsamkeiten identifizieren")
    expect(page.get_by_role("heading", name="Civento", exact=True)).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Lösungen von Landkreis Gifhorn erfassen und pflegen").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lösung speichern").click()
    expect(page.get_by_text("Dieses Feld ist zwingend erforderlich.").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Arbeitsfeld").select_option(label="Online-Dienste")
    page.get_by_label("Produkt").fill("Civento")
    page.get_by_label("Hersteller oder Dienstleister").fill("ekom21")
    page.get_by_role("button", name="Lösung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("„Civento“ ist erfasst")

    page.get_by_role("link", name="Zur Übersicht der Gemeinsamkeiten").click()
    card = page.locator(".kern-card", has=page.get_by_role("heading", name="Civento", exact=True))
    expect(card).to_contain_text("2 Partner: Landkreis Gifhorn, Stadt Braunschweig")
    card.get_by_role("link", name="Initiative vorschlagen zu Civento").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiative vorschlagen")
    expect(page.get_by_label("Titel")).to_have_value(re.compile("Civento"))
    expect(page.get_by_label("Arbeitsfeld")).to_have_value(re.compile(r"\d+"))
    assert axe_violations(page) == []


def test_the_pages_work_without_javascript(browser, live_server):
    load_demo_data()
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, "team.wolfsburg@demo.example")
        page.goto("/initiativen/")
        page.get_by_label(re.compile(r"^Schnittstellen \(\d+\)$")).check()
        page.get_by_role("button", name="Anwenden").click()
        expect(page).to_have_url(re.compile("area=schnittstellen"))
        expect(page.get_by_role("link", name="Bauantrag online mit XBau")).to_be_visible()
        expect(page.get_by_role("link", name="Wohngeld digital beantragen")).to_have_count(0)

        page.get_by_role("link", name="Initiative vorschlagen").click()
        page.get_by_label("Titel").fill("XBau-Rückmeldungen bündeln")
        page.get_by_label("Zusammenfassung").fill("Eine Stelle für Rückfragen zu XBau.")
        page.get_by_label("Beschreibung").fill("Rückfragen der Bauaufsichten gehen an eine Stelle.")
        page.get_by_label("Arbeitsfeld").select_option(label="Schnittstellen")
        page.get_by_role("button", name="Vorschlag speichern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("XBau-Rückmeldungen bündeln")
        page.get_by_role("button", name="Nicht mehr folgen").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Sie folgen dieser Initiative nicht mehr"
        )
        expect(page.get_by_test_id("follower-count")).to_have_text("0 Personen")
    finally:
        context.close()
