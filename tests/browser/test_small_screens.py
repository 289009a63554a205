"""On a small phone (375 px wide) no page of the portal scrolls sideways, for any role: every page
of the URL walk (tests/urlwalk.py) that answers with HTML, and the detail page of every
initiative, position, partner and agreement version, in one browser with one sign-in per role."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from initiatives.models import Initiative
from kooperation.devdata.demo import load_demo_data
from partners.models import AgreementVersion, Partner
from positions.models import Position
from tests.browser.accounts import sign_in
from tests.urlwalk import build_portal, url_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 375
ROLES = ["anonymous", "staff", "head", "office"]

# What sticks out to the right and is not inside a container that scrolls on its own, the
# innermost first (an element wider than its box, such as a heading with a long word, too): for
# the failure message.
STICKING_OUT = """(width) => {
    const scrolls = (element) => ["auto", "scroll", "hidden", "clip"].includes(
        getComputedStyle(element).overflowX);
    const clipped = (element) => {
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (scrolls(up)) return true;
        }
        return false;
    };
    const right = (element) => scrolls(element) ? element.getBoundingClientRect().right
        : Math.max(element.getBoundingClientRect().right,
                   element.getBoundingClientRect().left + element.scrollWidth);
    const out = [...document.querySelectorAll("body *")]
        .filter((element) => element.checkVisibility() && right(element) > width + 0.5)
        .filter((element) => !clipped(element));
    return out
        .filter((element) => !out.some((other) => other !== element && element.contains(other)))
        .slice(0, 3)
        .map((element) => [element.tagName.toLowerCase(), ...element.classList].join(".")
            + " " + Math.round(right(element)) + " px");
}"""


def page_urls(portal) -> list[str]:
    urls = []
    for name in url_names():
        if name.startswith("admin:"):
            continue  # at 375 px in tests/browser/test_admin_pages.py
        try:
            urls.append(portal.url(name))
        except NoReverseMatch:
            continue
    for model, name in [
        (Initiative, "initiatives:initiative_detail"),
        (Position, "positions:position_detail"),
        (AgreementVersion, "partners:agreement_version"),
    ]:
        urls += [reverse(name, args=[pk]) for pk in model.objects.values_list("pk", flat=True)]
    urls += [
        reverse("partners:partner_detail", args=[slug])
        for slug in Partner.objects.values_list("slug", flat=True)
    ]
    return sorted(set(urls))


def html_pages(urls, person) -> list[str]:
    """The URLs that show this person a page (not a download, a redirect or a refusal)."""
    client = Client()
    if person is not None:
        client.force_login(person)
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def test_no_page_scrolls_sideways_at_375_px_for_any_role(browser, live_server):
    portal = build_portal()
    urls = page_urls(portal)
    sticking_out = {}
    seen = 0
    for role in ROLES:
        person = portal.person(role)
        pages = html_pages(urls, person)
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        page = context.new_page()
        page.set_default_timeout(10_000)
        if person is not None:
            sign_in(page, person.email)  # on a wide screen, where the name shows in the header
        page.set_viewport_size({"width": WIDTH, "height": 800})
        for url in pages:
            page.goto(url)
            width = page.evaluate(
                "document.fonts.ready.then(() => document.documentElement.scrollWidth)"
            )
            if width > WIDTH:
                sticking_out[f"{role} {url}"] = (width, page.evaluate(STICKING_OUT, WIDTH))
        context.close()
        seen += len(pages)
    assert seen > 100  # the walk reached the pages, not just sign-in forms
    assert sticking_out == {}


def test_on_a_phone_menu_and_filters_wait_behind_disclosures_and_results_come_first(
    browser, live_server, axe_violations
):
    load_demo_data()
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "team.braunschweig@demo.example")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    menu = page.get_by_text("Menü", exact=True)

    # A wide screen shows the navigation and the filters beside the results, no disclosures.
    page.goto("/initiativen/")
    expect(navigation.get_by_role("link", name="Initiativen")).to_be_visible()
    expect(menu).to_be_hidden()
    expect(page.get_by_label("Suche")).to_be_visible()

    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto("/initiativen/")
    header = page.get_by_role("banner").bounding_box()
    assert header["height"] < 120
    expect(navigation.get_by_role("link", name="Initiativen")).to_be_hidden()
    expect(page.get_by_label("Suche")).to_be_hidden()
    expect(page.get_by_role("heading", name="12 Initiativen")).to_be_in_viewport()
    assert axe_violations(page) == []

    menu.click()
    navigation.get_by_role("link", name="Positionen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Positionen")
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Entwurf").check()
    page.get_by_role("button", name="Anwenden").click()
    # A filter is active: the filters stay open, to be seen and changed.
    expect(page.get_by_label("Entwurf")).to_be_visible()
    expect(page.get_by_label("Entwurf")).to_be_checked()
    assert axe_violations(page) == []
    context.close()
