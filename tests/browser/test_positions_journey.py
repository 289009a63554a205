"""A joint position from draft to publication, as the people do it in the browser: staff draft,
another partner comments, the lead's head opens the Mitzeichnung, two heads co-sign and one
declines, a text change resets the decisions, they decide again, the letter is sent and
downloaded, the office records the answer, and a visitor reads the published position. axe-core
checks every page at desktop width and at 375 px, where nothing may scroll sideways."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kooperation.devdata.demo import ADMIN_EMAIL, load_demo_data
from tests.browser.accounts import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Stellungnahme zur Verordnung über digitale Bauanträge"
LAND = "Niedersächsisches Ministerium für Digitales (Demo)"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
# What sticks out on the right (for the message of a failing check).
WIDER = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 376)
  .slice(-3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))"""


@pytest.fixture
def checked(page, axe_violations):
    """Checks the page as it stands: axe at desktop width and at 375 px, and at 375 px no
    horizontal scrolling."""

    def check():
        page.set_viewport_size(DESKTOP)
        assert axe_violations(page) == [], page.url
        page.set_viewport_size(PHONE)
        assert axe_violations(page) == [], f"{page.url} (375 px)"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (page.url, width, page.evaluate(WIDER))
        page.set_viewport_size(DESKTOP)

    return check


def open_position(page):
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Positionen"
    ).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def decide(page, signs: bool, reason: str = ""):
    page.get_by_label("Zeichnet mit" if signs else "Zeichnet nicht mit", exact=True).check()
    if reason:
        page.get_by_label("Begründung (freiwillig)").fill(reason)
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Entscheidung ist gespeichert")


def as_head(page, partner, signs, reason="", checked=None):
    sign_in(page, f"dezernat.{partner}@demo.example")
    open_position(page)
    if checked:
        checked()
    decide(page, signs, reason)
    sign_out(page)


def test_a_joint_position_from_draft_to_publication(page, checked):
    load_demo_data()
    today = timezone.localdate()

    # Staff of Braunschweig draft it.
    sign_in(page, "team.braunschweig@demo.example")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Positionen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Positionen")
    checked()
    page.get_by_role("link", name="Position entwerfen").click()
    checked()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label(LAND).check()
    page.get_by_label("Anlass").fill("Anhörung zum Verordnungsentwurf, Frist 15.01.")
    page.get_by_label("Text", exact=True).fill(
        "Die Partner begrüßen den Entwurf.\n\n- Schnittstelle **XBau** verbindlich\n- Fristen"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Der Entwurf ist gespeichert")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    checked()
    sign_out(page)

    # Someone of another partner comments and follows.
    sign_in(page, "team.salzgitter@demo.example")
    open_position(page)
    page.get_by_label("Ihr Kommentar").fill("Bitte die **Übergangsfrist** ergänzen.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar ist veröffentlicht")
    expect(page.locator(".portal-comment")).to_contain_text("Übergangsfrist")
    page.get_by_role("button", name="Folgen", exact=True).click()
    expect(page.get_by_test_id("follower-count")).to_contain_text("2 Personen folgen")
    checked()
    sign_out(page)

    # The lead's head opens the Mitzeichnung.
    sign_in(page, "dezernat.braunschweig@demo.example")
    open_position(page)
    page.get_by_label("Frist der Mitzeichnung").fill(
        (today + datetime.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Zur Mitzeichnung öffnen").click()
    expect(page.get_by_role("status")).to_contain_text("zur Mitzeichnung geöffnet")
    checked()
    decide(page, signs=True)
    sign_out(page)

    # Salzgitter co-signs, Wolfsburg declines.
    as_head(page, "salzgitter", signs=True, checked=checked)
    as_head(page, "wolfsburg", signs=False, reason="Wir sind nicht betroffen.")

    # A change of the text resets every decision.
    sign_in(page, "team.braunschweig@demo.example")
    open_position(page)
    cosignatures = page.get_by_test_id("cosignatures")
    expect(cosignatures).to_contain_text("Stadt Salzgitter: Zeichnet mit")
    expect(cosignatures).to_contain_text("Stadt Wolfsburg: Zeichnet nicht mit")
    page.get_by_role("link", name="Text bearbeiten").click()
    checked()
    page.get_by_label("Text", exact=True).fill(
        "Die Partner begrüßen den Entwurf.\n\n- Schnittstelle **XBau** verbindlich\n"
        "- Übergangsfrist von sechs Monaten"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Änderungen sind gespeichert")
    expect(page.get_by_text("Noch hat kein Partner entschieden.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("zurückgesetzt")
    page.get_by_role("link", name="2 Fassungen vergleichen").click()
    expect(page.locator("ins").first).to_be_visible()
    checked()
    sign_out(page)

    # They decide again, on the new version; Gifhorn declines as well.
    as_head(page, "salzgitter", signs=True)
    as_head(page, "wolfsburg", signs=False, reason="Weiterhin nicht betroffen.")
    as_head(page, "gifhorn", signs=False, reason="Die Frist ist zu kurz.")

    # The lead's head co-signs and sends it; the letter is stored.
    sign_in(page, "dezernat.braunschweig@demo.example")
    open_position(page)
    decide(page, signs=True)
    page.get_by_label("Post", exact=True).check()
    page.get_by_label("Versandt am (bei Versand von Hand)").fill(today.isoformat())
    # The letter is rendered here (WeasyPrint, the fonts unpacked once per process): slower.
    page.get_by_role("button", name="Versenden").click(timeout=90_000)
    expect(page.get_by_role("status")).to_contain_text("Die Position ist versandt")
    checked()
    sha256 = page.get_by_test_id("sha256").inner_text()
    href = page.get_by_role("link", name="Schreiben als PDF").get_attribute("href")
    letter = page.request.get(href)
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")
    assert hashlib.sha256(letter.body()).hexdigest() == sha256
    sign_out(page)

    # The office records the answer; the lead's head publishes.
    sign_in(page, ADMIN_EMAIL)
    open_position(page)
    page.get_by_label("Aktenzeichen").fill("Az. 12-345")
    page.get_by_label("Zusammenfassung").fill("Das Land übernimmt die **Übergangsfrist**.")
    page.get_by_role("button", name="Antwort erfassen").click()
    expect(page.get_by_role("status")).to_contain_text("Die Antwort ist erfasst")
    checked()
    sign_out(page)
    sign_in(page, "dezernat.braunschweig@demo.example")
    open_position(page)
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Die Position ist veröffentlicht")
    sign_out(page)

    # A visitor reads it: co-signers, letter, answer – not the discussion.
    open_position(page)
    cosignatures = page.get_by_test_id("cosignatures")
    expect(cosignatures).to_contain_text("Stadt Braunschweig: Zeichnet mit")
    expect(cosignatures).to_contain_text("Stadt Salzgitter: Zeichnet mit")
    expect(page.get_by_role("link", name="Schreiben als PDF")).to_be_visible()
    expect(page.get_by_text("Das Land übernimmt die")).to_be_visible()
    expect(page.locator(".portal-comment")).to_have_count(0)
    checked()
