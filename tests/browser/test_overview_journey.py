"""Mein Überblick: a department head decides a waiting vote from the overview and sees it gone;
staff see another partner's new comment on an initiative they follow marked as new, open it,
and the marker goes. axe at desktop width and at 375 px, without horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from initiatives import services as initiative_services
from initiatives.models import Initiative
from kooperation.devdata.demo import load_demo_data
from partners.models import Partner, User, Vote
from tests.browser.accounts import sign_in, sign_out
from tests.factories import confirmed_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOTE = "Beitrittsantrag von Gemeinde Cremlingen: Ihre Stimme fehlt noch."


def check_both_widths(page, axe_violations):
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"horizontal scrolling at 375 px: {width}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_head_decides_from_the_overview_and_staff_read_a_new_comment(page, axe_violations):
    load_demo_data()
    application = confirmed_application(
        name="Gemeinde Cremlingen",
        kind=Partner.Kind.GEMEINDE,
        official_key="03158008",
        website="https://www.cremlingen.example",
        contact_email="kontakt@cremlingen.example",
    )

    sign_in(page, "dezernat.braunschweig@demo.example")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Überblick")
    waiting = page.get_by_test_id("waiting-item").filter(has_text=VOTE)
    expect(waiting).to_be_visible()
    check_both_widths(page, axe_violations)
    waiting.get_by_role("button", name="Zustimmen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Stimme für Stadt Braunschweig")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Überblick")
    expect(page.get_by_test_id("waiting-item").filter(has_text=VOTE)).to_have_count(0)
    assert Vote.objects.filter(application=application, partner__slug="braunschweig").exists()
    sign_out(page)

    staff = User.objects.get(email="team.braunschweig@demo.example")
    salzgitter = User.objects.get(email="team.salzgitter@demo.example")
    initiative = Initiative.objects.exclude(status=Initiative.Status.WITHDRAWN).first()
    initiative_services.follow(initiative=initiative, user=staff)
    initiative_services.comment_add(
        initiative=initiative, author=salzgitter, body="Salzgitter ist dabei."
    )

    sign_in(page, staff.email)
    page.goto("/")
    followed = page.get_by_test_id("followed-item").filter(has_text=initiative.title)
    expect(followed.get_by_test_id("unread-marker")).to_have_text("1 neuer Kommentar")
    news = page.get_by_test_id("activity-item").filter(has_text="hat „")
    expect(news.filter(has_text=f"(Stadt Salzgitter) hat „{initiative.title}“")).to_be_visible()
    check_both_widths(page, axe_violations)
    followed.get_by_role("link", name=initiative.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(initiative.title)
    expect(page.get_by_text("Salzgitter ist dabei.")).to_be_visible()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Mein Überblick"
    ).click()
    followed = page.get_by_test_id("followed-item").filter(has_text=initiative.title)
    expect(followed).to_be_visible()
    expect(followed.get_by_test_id("unread-marker")).to_have_count(0)

    page.get_by_role("link", name="Alle Aktivitäten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivitäten")
    page.get_by_role("combobox", name="Art").select_option(
        label="Neue Kommentare zu Initiativen und Positionen, denen Sie folgen"
    )
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_test_id("activity-item").first).to_contain_text("Salzgitter")
    check_both_widths(page, axe_violations)
