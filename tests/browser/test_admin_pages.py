"""The office's admin (/verwaltung/) in a real Chromium, checked by axe-core: the index, every
changelist, and the add and change page of every registered model (the change page of its first
object; every model has one), signed in once as the office; each page also at 375 px, where it
must not scroll sideways."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kooperation.models import AccessibilityFeedback, DigestDelivery, DigestSetting, LegalPage
from partners.models import AgreementVersion
from tests.browser.accounts import sign_in
from tests.urlwalk import build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 375, "height": 800}


def add_what_the_demo_lacks(person):
    """An object for each model the demo data leaves empty, so each has a change page."""
    Group.objects.create(name="Redaktion")
    DigestSetting.objects.get_or_create(user=person, defaults={"frequency": "weekly"})
    DigestDelivery.objects.create(
        recipient=person, frequency="weekly", period="2026-W40", until=timezone.now()
    )
    LegalPage.objects.create(kind="imprint", body="## Impressum")
    AccessibilityFeedback.objects.create(page="/", message="Der Kontrast ist zu schwach.")
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "GEHEIMESGEHEIMNIS"}
    )


def admin_pages(office) -> list[str]:
    """Index, changelists, add and change pages: those that show the office a page."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"{prefix}: no object for its change page"
        urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    # The agreement version with the most parties: the page with the most rows of inputs.
    draft = AgreementVersion.objects.order_by("-pk").first()
    urls.append(reverse("admin:partners_agreementversion_change", args=[draft.pk]))
    client = Client()
    client.force_login(office)
    return [url for url in urls if client.get(url).status_code == 200]


def test_the_admin_pages_the_office_uses_have_no_axe_violations(
    browser, live_server, axe_violations
):
    portal = build_portal()
    office = portal.person("office")
    add_what_the_demo_lacks(portal.person("staff"))
    pages = admin_pages(office)
    assert len(pages) > 40
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, office.email)
    violations, too_wide = {}, {}
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")  # the admin's widgets are built when the page has loaded
        if found := axe_violations(page):
            violations[url] = found
        # On a phone, too, the page does not scroll sideways (issue 18: every page, every role).
        page.set_viewport_size(PHONE)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
            too_wide[url] = width
        page.set_viewport_size(DESKTOP)
    context.close()
    assert violations == {}
    assert too_wide == {}


def test_a_searchable_select_in_an_added_row_is_named_too(browser, live_server, axe_violations):
    """Rows added with "Weitere … hinzufügen" get their Select2 after the page has loaded."""
    portal = build_portal()
    office = portal.person("office")
    draft = AgreementVersion.objects.order_by("-pk").first()
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, office.email)
    page.goto(reverse("admin:partners_agreementversion_change", args=[draft.pk]))
    page.locator("#parties-group .add-row a").click()
    added = page.locator("#parties-group tr.dynamic-parties").last
    box = added.locator(".select2-selection[role=combobox]")
    assert box.get_attribute("aria-labelledby")
    assert axe_violations(page) == []
    context.close()
