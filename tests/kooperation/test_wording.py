"""Words people stumbled on (issue 18, item 8): what the pages, e-mails and the admin say."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from partners.models import User
from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    EmailDomainFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_drop_downs_ask_to_choose_instead_of_showing_dashes(client, staff, area):
    client.force_login(staff)
    page = client.get(reverse("initiatives:initiative_create")).text
    assert "---------" not in page
    assert re.search(r'<option value=""[^>]*>\s*Bitte wählen</option>', page)
    assert "---------" not in client.get(reverse("partners:application_create")).text


def test_a_search_form_marks_no_field_optional_a_form_with_required_fields_does(client, staff):
    client.force_login(staff)
    search = client.get(reverse("initiatives:initiative_list")).text
    assert re.search(r'<label class="kern-label" for="id_q">Suche</label>', search)
    assert "– optional" not in client.get(reverse("positions:position_list")).text
    proposal = client.get(reverse("initiatives:initiative_create")).text
    assert "– optional" in proposal  # the OZG reference, beside required fields


def test_the_confirmation_e_mail_names_the_account_not_a_person_it_is_for(client, sent_mail):
    EmailDomainFactory(partner=PartnerFactory(), domain="adorf.example")
    client.post(
        reverse("account_signup"),
        {
            "name": "Neue Person",
            "email": "neu@adorf.example",
            "password1": "ein-langes-passwort-7",
            "password2": "ein-langes-passwort-7",
        },
    )
    [confirmation] = sent_mail()
    assert "für Neue Person" not in confirmation.body
    assert "für das Konto „Neue Person“ angegeben" in confirmation.body


def test_a_password_set_through_a_link_is_saved_not_changed(client):
    page = client.get(reverse("account_reset_password_from_key_done")).text
    assert "Passwort gespeichert" in page
    assert "geändert" not in page
    assert "Change Password" not in page


def test_deleting_the_account_is_a_danger_button_not_the_primary_one(client, staff):
    client.force_login(staff)
    page = client.get(reverse("personal_data")).text
    button = re.search(
        r'<button type="submit" class="([^"]+)">\s*<span class="kern-label">'
        r"Konto endgültig löschen",
        page,
    )
    assert "kern-btn--primary" not in button.group(1)
    assert "portal-btn--danger" in button.group(1)


def test_the_partner_page_shows_no_internal_short_name(client, partner):
    page = client.get(reverse("partners:partner_detail", args=[partner.slug])).text
    assert "Kurzname" not in page
    assert f"<code>{partner.slug}</code>" not in page


def test_the_admin_names_the_office_and_the_second_factors_in_german(client, partner):
    office = AdminFactory()
    UserFactory(partner=partner, name="Sabine Sachbearbeiterin")
    client.force_login(office)
    people = client.get(reverse("admin:partners_user_changelist")).text
    rows = re.findall(r"<tr>(.*?)</tr>", people, re.S)
    [office_row] = [row for row in rows if office.email in row]
    assert "Geschäftsstelle" in office_row
    assert "Mitarbeiter:in" not in office_row
    [staff_row] = [row for row in rows if "Sabine Sachbearbeiterin" in row]
    assert "Mitarbeiter:in" in staff_row

    index = client.get(reverse("admin:index")).text
    assert "Zweite Faktoren" in index
    assert "Authenticators" not in index
    assert reverse("admin:kooperation_secondfactor_changelist") in index
    factors = client.get(reverse("admin:kooperation_secondfactor_changelist")).text
    for english in ("Authenticator", "Created at", "Last used at", "Type"):
        assert f">{english}<" not in factors


def test_the_sessions_page_is_german_and_its_button_says_what_it_ends(partner):
    person = UserFactory(partner=partner)
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})

    page = here.get(reverse("usersessions_list")).text
    assert "Ihre Sitzungen</h1>" in page
    assert "Sessions" not in page
    assert "<table" not in page  # entries, not a table that scrolls sideways on a phone
    assert page.count('data-testid="session"') == 2
    assert "Alle anderen Sitzungen abmelden" in page
    assert "in diesem Browser bleiben Sie angemeldet" in page

    here.post(reverse("usersessions_list"))
    assert here.get(reverse("account")).status_code == 200
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
    page = here.get(reverse("usersessions_list")).text
    assert page.count('data-testid="session"') == 1
    assert "In diesem Browser abmelden" in page
    assert "Alle anderen" not in page
    assert User.objects.filter(pk=person.pk).exists()
