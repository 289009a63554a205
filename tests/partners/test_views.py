"""The partners' pages end to end through the client: directory, joining, the agreement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import AgreementVersion, Application, Partner, User
from partners.tokens import withdraw_token
from tests.factories import (
    AgreementVersionFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    application_data,
    confirmed_application,
)

pytestmark = pytest.mark.django_db

# The form as a visitor fills it in: the key written with spaces, the honeypot left empty.
APPLICATION = {**application_data(official_key="03 1 58 037"), "homepage": ""}


def application_form_data(client, **overrides):
    page = client.get(reverse("partners:application_create"))
    return {**APPLICATION, "started": page.context["form"].initial["started"], **overrides}


# Directory


def test_directory_shows_members_and_former_partners_with_heads(client):
    member = PartnerFactory(name="Stadt Braunschweig")
    DepartmentHeadFactory(partner=member, name="Dr. Thorsten Kornblum", job_title="Stadtrat")
    PartnerFactory(name="Stadt Altstadt", status=Partner.Status.FORMER, left_on="2024-01-01")

    response = client.get(reverse("partners:partner_list"))

    assert response.status_code == 200
    assert "Dr. Thorsten Kornblum, Stadtrat" in response.text
    assert "Stadt Altstadt" in response.text
    assert "Ehemaliger Partner" in response.text


def test_directory_search_by_name_or_key(client):
    PartnerFactory(name="Stadt Braunschweig", official_key="03101000")
    PartnerFactory(name="Stadt Wolfsburg", official_key="03103000")
    by_name = client.get(reverse("partners:partner_list"), {"q": "braun"}).text
    assert "Stadt Braunschweig" in by_name
    assert "Stadt Wolfsburg" not in by_name
    by_key = client.get(reverse("partners:partner_list"), {"q": "03103"}).text
    assert "Stadt Wolfsburg" in by_key
    assert "Stadt Braunschweig" not in by_key
    nothing = client.get(reverse("partners:partner_list"), {"q": "<script>"}).text
    assert "Kein Partner passt zu „&lt;script&gt;“" in nothing


@pytest.mark.parametrize("count", [3, 120])
def test_directory_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for partner in PartnerFactory.create_batch(count):
        DepartmentHeadFactory(partner=partner)
    with django_assert_num_queries(3):  # count, page of partners, their heads
        response = client.get(reverse("partners:partner_list"), {"page": 2 if count > 50 else 1})
    assert response.status_code == 200


def test_directory_page_out_of_range_is_a_404(client):
    assert client.get(reverse("partners:partner_list"), {"page": 99}).status_code == 404


def test_partner_detail(client, department_head):
    response = client.get(reverse("partners:partner_detail", args=[department_head.partner.slug]))
    assert response.status_code == 200
    assert department_head.name in response.text
    assert client.get(reverse("partners:partner_detail", args=["gibt-es-nicht"])).status_code == 404


# Applying


def test_visitor_applies_and_sees_a_confirmation(client, partner):
    response = client.post(
        reverse("partners:application_create"), application_form_data(client), follow=True
    )
    assert response.status_code == 200
    assert "Ihr Antrag ist eingegangen" in response.text
    application = Application.objects.get()
    assert application.official_key == "03158037"  # spaces removed
    assert application.status == Application.Status.UNCONFIRMED
    assert "Bitte bestätigen Sie darin" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("official_key", "123", "5 Ziffern (Kreisschlüssel), 8 Ziffern (AGS)"),
        ("official_key", "99158037", "bezeichnen das Land"),
        ("contact_email", "keine-adresse", "gültige E-Mail-Adresse"),
        ("name", "", "Dieses Feld ist zwingend erforderlich."),
        ("kind", "hauptstadt", "Bitte eine gültige Auswahl treffen"),
    ],
)
def test_bad_application_input_is_explained_and_nothing_is_lost(client, field, value, message):
    data = application_form_data(client, **{field: value})
    response = client.post(reverse("partners:application_create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert "Maria Neumann" in response.text  # what was typed stays in the form
    assert not Application.objects.exists()


def test_a_key_of_a_partner_is_refused(client):
    PartnerFactory(official_key="03158037")
    response = client.post(reverse("partners:application_create"), application_form_data(client))
    assert "bereits einen Partner" in response.text
    assert not Application.objects.exists()


def test_a_double_submission_is_refused(client, partner):
    data = application_form_data(client)
    client.post(reverse("partners:application_create"), data)
    response = client.post(reverse("partners:application_create"), data)
    assert "Dieses Formular wurde bereits abgeschickt" in response.text
    assert Application.objects.count() == 1


def test_a_second_form_for_a_key_in_vote_is_refused(client, partner):
    confirmed_application()
    response = client.post(reverse("partners:application_create"), application_form_data(client))
    assert "bereits ein offener Beitrittsantrag" in response.text
    assert Application.objects.count() == 1


def test_a_bot_filling_the_hidden_field_is_refused(client):
    data = application_form_data(client, homepage="https://spam.example")
    response = client.post(reverse("partners:application_create"), data)
    assert "Dieses Feld muss leer bleiben." in response.text
    assert not Application.objects.exists()


def test_a_form_sent_faster_than_a_person_can_is_refused(client, settings):
    settings.JOIN_FORM_MIN_SECONDS = 60
    response = client.post(reverse("partners:application_create"), application_form_data(client))
    assert "Das ging sehr schnell" in response.text
    assert not Application.objects.exists()


def test_a_forged_start_time_is_refused(client):
    data = application_form_data(client, started="1700000000")
    response = client.post(reverse("partners:application_create"), data)
    assert "Das Formular ist abgelaufen" in response.text


def test_script_in_the_application_is_shown_as_text(client, department_head):
    data = application_form_data(client, motivation="<script>alert(1)</script>")
    client.post(reverse("partners:application_create"), data)
    client.force_login(department_head)
    application = services.application_confirm(application=Application.objects.get())
    page = client.get(reverse("partners:application_detail", args=[application.pk])).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Who sees and votes


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        ("visitor", 302, 302),
        ("staff", 403, 403),
        ("department_head", 200, 200),
        ("head_of_later_partner", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_application_pages_permission_matrix(client, partner, who, list_status, detail_status):
    head = DepartmentHeadFactory(partner=partner)
    application = confirmed_application()
    people = {
        "staff": lambda: UserFactory(partner=partner),
        "department_head": lambda: head,
        # A partner admitted after the application arrived (such as a former applicant): its
        # head reads the application but is not in its electorate (see the vote test below).
        "head_of_later_partner": lambda: DepartmentHeadFactory(partner=PartnerFactory()),
        "admin": lambda: UserFactory(partner=None, is_staff=True),
    }
    if who in people:
        client.force_login(people[who]())
    assert client.get(reverse("partners:application_list")).status_code == list_status
    detail = client.get(reverse("partners:application_detail", args=[application.pk]))
    assert detail.status_code == detail_status


@pytest.mark.parametrize("who", ["visitor", "staff", "admin", "other_head"])
def test_only_member_department_heads_vote(client, partner, who):
    DepartmentHeadFactory(partner=partner)
    application = confirmed_application()
    late_partner = PartnerFactory()  # joined after the application arrived
    people = {
        "staff": lambda: UserFactory(partner=partner),
        "admin": lambda: UserFactory(partner=None, is_staff=True),
        "other_head": lambda: DepartmentHeadFactory(partner=late_partner),
    }
    if who in people:
        client.force_login(people[who]())
    response = client.post(
        reverse("partners:application_vote", args=[application.pk]), {"approve": "yes"}
    )
    assert response.status_code in (302, 403)
    if who == "visitor":
        assert "/konto/login/" in response.url
    assert not application.votes.exists()


def test_department_head_votes_and_changes_the_vote(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    DepartmentHeadFactory(partner=PartnerFactory())  # a second member keeps it open
    application = confirmed_application()
    client.force_login(head)
    url = reverse("partners:application_vote", args=[application.pk])

    response = client.post(url, {"approve": "yes", "comment": "Gern."}, follow=True)
    assert "Ihre Stimme für" in response.text
    assert "stimmt zu – „Gern.“" in response.text
    assert application.votes.get().approve is True

    # Until the decision the vote can change; under unanimity a rejection decides at once.
    response = client.post(
        url, {"approve": "no", "comment": "Doch nicht.", "confirm_decision": "on"}, follow=True
    )
    assert application.votes.get().approve is False
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert "Abstimmen für" not in response.text


def test_the_vote_form_states_the_rule_and_asks_to_confirm_a_deciding_rejection(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    DepartmentHeadFactory(partner=PartnerFactory())  # a second member keeps it open
    application = confirmed_application(name="Landkreis Helmstedt", official_key="03154")
    client.force_login(head)
    page = client.get(reverse("partners:application_detail", args=[application.pk])).text
    assert "Aufgenommen ist Landkreis Helmstedt, sobald 2 Partner zustimmen." in page
    assert "Eine Ablehnung lehnt den Antrag ab." in page
    assert "Ich bestätige meine Stimme, auch wenn sie über den Antrag entscheidet." in page
    assert "Ihre Ablehnung lehnt den Antrag ab." in page

    url = reverse("partners:application_vote", args=[application.pk])
    response = client.post(url, {"approve": "no"})
    assert response.status_code == 400
    assert (
        "Damit ist der Antrag abgelehnt. Bitte bestätigen Sie, dass Sie so entscheiden wollen."
        in response.text
    )
    assert not application.votes.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING

    response = client.post(url, {"approve": "no", "confirm_decision": "on"}, follow=True)
    assert "ist gespeichert. Damit ist der Antrag abgelehnt." in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_the_last_approval_needs_confirming_and_says_who_is_admitted(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    other = DepartmentHeadFactory(partner=PartnerFactory())
    application = confirmed_application(name="Landkreis Helmstedt", official_key="03154")
    url = reverse("partners:application_vote", args=[application.pk])
    client.force_login(head)
    response = client.post(url, {"approve": "yes"}, follow=True)  # decides nothing yet
    assert "Ihre Stimme für" in response.text
    assert "Damit ist" not in response.text

    client.force_login(other)
    page = client.get(reverse("partners:application_detail", args=[application.pk])).text
    assert "Mit Ihrer Zustimmung ist Landkreis Helmstedt aufgenommen." in page
    assert client.post(url, {"approve": "yes"}).status_code == 400
    assert application.votes.count() == 1
    response = client.post(url, {"approve": "yes", "confirm_decision": "on"}, follow=True)
    assert "ist gespeichert. Damit ist Landkreis Helmstedt aufgenommen." in response.text
    assert Partner.objects.filter(name="Landkreis Helmstedt", status="member").exists()


def test_a_vote_that_became_deciding_meanwhile_is_not_saved_unconfirmed(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    other = DepartmentHeadFactory(partner=PartnerFactory())
    application = confirmed_application()
    url = reverse("partners:application_vote", args=[application.pk])
    client.force_login(head)
    page = client.get(reverse("partners:application_detail", args=[application.pk])).text
    assert "Mit Ihrer Zustimmung" not in page  # an approval does not decide yet
    services.application_vote(application=application, voter=other, approve=True)
    response = client.post(url, {"approve": "yes"})  # the form as shown before
    assert response.status_code == 400
    assert "Bitte bestätigen Sie" in response.text
    assert application.votes.count() == 1
    with pytest.raises(ValidationError, match="entscheidet über den Antrag"):
        services.application_vote(
            application=application, voter=head, approve=True, decision_confirmed=False
        )
    assert application.votes.count() == 1


def test_vote_without_choice_is_explained(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    application = confirmed_application()
    client.force_login(head)
    response = client.post(reverse("partners:application_vote", args=[application.pk]), {})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text


def test_vote_by_get_changes_nothing(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    application = confirmed_application()
    client.force_login(head)
    response = client.get(reverse("partners:application_vote", args=[application.pk]))
    assert response.status_code == 405
    assert not application.votes.exists()


@pytest.mark.parametrize("partners", [3, 40])
def test_application_pages_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, partners
):
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(partners)]
    application = confirmed_application()
    for head in heads[:-1]:
        services.application_vote(application=application, voter=head, approve=True)
    client.force_login(heads[0])
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("partners:application_detail", args=[application.pk]))
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("partners:application_list"))
    assert (detail.status_code, listing.status_code) == (200, 200)


# Withdrawing


def test_applicant_withdraws_with_the_signed_link(client, partner):
    application = confirmed_application()
    url = reverse("partners:application_withdraw", args=[withdraw_token(application)])
    assert "Antrag zurückziehen" in client.get(url).text
    response = client.post(url, follow=True)
    assert "Der Antrag ist zurückgezogen." in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_a_forged_withdraw_link_is_a_404(client, partner):
    confirmed_application()
    url = reverse("partners:application_withdraw", args=["1:gefaelscht"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# The agreement


@pytest.fixture
def agreement(partner, other_partner):
    old = AgreementVersionFactory(
        parties=[partner], status=AgreementVersion.Status.SUPERSEDED, text="Alt\nBleibt"
    )
    current = AgreementVersionFactory(
        parties=[partner, other_partner],
        status=AgreementVersion.Status.IN_FORCE,
        previous=old,
        text="Neu\nBleibt",
    )
    draft = AgreementVersionFactory(parties=[partner], previous=current, title="Geheimer Entwurf")
    return old, current, draft


def test_public_agreement_page_shows_the_version_in_force_and_hides_drafts(client, agreement):
    old, current, draft = agreement
    response = client.get(reverse("partners:agreement"))
    assert response.status_code == 200
    assert current.title in response.text
    assert old.title in response.text
    assert draft.title not in response.text
    assert client.get(reverse("partners:agreement_version", args=[draft.pk])).status_code == 404


def test_version_page_shows_a_readable_diff(client, agreement):
    _old, current, _draft = agreement
    response = client.get(reverse("partners:agreement_version", args=[current.pk]))
    assert '<span class="kern-sr-only">Entfernt: </span>Alt</del>' in response.text
    assert '<span class="kern-sr-only">Hinzugefügt: </span>Neu</ins>' in response.text


def test_the_agreement_page_shows_what_the_version_in_force_changed(client, partner):
    joined = PartnerFactory(name="Landkreis Helmstedt")
    old = AgreementVersionFactory(
        parties=[partner],
        status=AgreementVersion.Status.SUPERSEDED,
        text="## § 1 Partner\n\n**Vier** Partner arbeiten zusammen.\n\n## § 2 Ende",
    )
    AgreementVersionFactory(
        parties=[partner, joined],
        status=AgreementVersion.Status.IN_FORCE,
        previous=old,
        text="## § 1 Partner\n\n**Fünf** Partner arbeiten eng zusammen.\n\n## § 2 Ende",
    )
    page = client.get(reverse("partners:agreement")).text
    assert f"Änderungen gegenüber „{old.title}“" in page
    assert "Neue Vertragspartei: Landkreis Helmstedt" in page
    # Words of the rendered text, not Markdown lines: no "**", no "##".
    assert '<del><span class="kern-sr-only">Entfernt: </span>Vier</del>' in page
    assert '<ins><span class="kern-sr-only">Hinzugefügt: </span>Fünf</ins>' in page
    assert '<ins><span class="kern-sr-only">Hinzugefügt: </span>eng</ins>' in page
    assert "**Vier**" not in page
    assert "Partner arbeiten" in page  # the unchanged words around them


def test_a_version_without_text_changes_says_so_and_names_the_party_that_left(client, partner):
    left = PartnerFactory(name="Stadt Altdorf")
    old = AgreementVersionFactory(
        parties=[partner, left], status=AgreementVersion.Status.SUPERSEDED
    )
    current = AgreementVersionFactory(
        parties=[partner], status=AgreementVersion.Status.IN_FORCE, previous=old, text=old.text
    )
    page = client.get(reverse("partners:agreement_version", args=[current.pk])).text
    assert "Keine Vertragspartei mehr: Stadt Altdorf" in page
    assert "Der Text ist unverändert." in page


def test_agreement_text_is_rendered_safely(client, partner):
    version = AgreementVersionFactory(
        parties=[partner],
        status=AgreementVersion.Status.IN_FORCE,
        text="## Ziel\n\n**fett** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    page = client.get(reverse("partners:agreement_version", args=[version.pk])).text
    assert "<h3>Ziel</h3>" in page
    assert "<strong>fett</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page


def test_admin_sends_for_signature_and_records_every_signature(client, agreement, partner):
    _old, current, draft = agreement
    client.force_login(UserFactory(partner=None, is_staff=True))

    client.post(reverse("partners:agreement_send_for_signature", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == AgreementVersion.Status.IN_SIGNATURE

    party = draft.parties.get()
    response = client.post(
        reverse("partners:agreement_sign", args=[draft.pk]),
        {
            "party": party.pk,
            "signatory_name": "Dr. Erika Muster",
            "signatory_role": "Bürgermeisterin",
            "signed_on": "2026-11-20",
        },
        follow=True,
    )
    assert "Die Unterschrift von" in response.text
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == AgreementVersion.Status.IN_FORCE
    assert draft.effective_on == datetime.date(2026, 11, 20)
    assert current.status == AgreementVersion.Status.SUPERSEDED


def test_a_signature_in_the_future_is_refused(client, agreement):
    _old, _current, draft = agreement
    services.agreement_send_for_signature(version=draft)
    client.force_login(UserFactory(partner=None, is_staff=True))
    response = client.post(
        reverse("partners:agreement_sign", args=[draft.pk]),
        {
            "party": draft.parties.get().pk,
            "signatory_name": "A",
            "signatory_role": "B",
            "signed_on": "2999-01-01",
        },
    )
    assert response.status_code == 400
    assert "Das Datum liegt in der Zukunft." in response.text


@pytest.mark.parametrize("who", ["visitor", "staff", "department_head"])
def test_only_admins_manage_the_agreement(client, agreement, partner, who):
    _old, _current, draft = agreement
    if who != "visitor":
        factory = UserFactory if who == "staff" else DepartmentHeadFactory
        client.force_login(factory(partner=partner))
    response = client.post(reverse("partners:agreement_send_for_signature", args=[draft.pk]))
    assert response.status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.status == AgreementVersion.Status.DRAFT


@pytest.mark.parametrize("versions", [2, 60])
def test_agreement_pages_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, versions
):
    partners = PartnerFactory.create_batch(10)
    previous = None
    for _ in range(versions):
        previous = AgreementVersionFactory(
            parties=partners, status=AgreementVersion.Status.SUPERSEDED, previous=previous
        )
    AgreementVersion.objects.filter(pk=previous.pk).update(status=AgreementVersion.Status.IN_FORCE)
    with django_assert_max_num_queries(5):
        in_force = client.get(reverse("partners:agreement"))
    with django_assert_max_num_queries(5):
        version = client.get(reverse("partners:agreement_version", args=[previous.pk]))
    assert (in_force.status_code, version.status_code) == (200, 200)


def test_admitted_applicants_contact_waits_for_the_office_to_confirm_the_role(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    application = confirmed_application()
    services.application_vote(application=application, voter=head, approve=True)
    contact = User.objects.get(email=APPLICATION["contact_email"])
    contact.set_password("ein-langes-passwort-2026")
    contact.save()
    client.force_login(contact)

    assert client.get(reverse("partners:application_list")).status_code == 403

    contact.role, contact.requested_role = User.Role.DEPARTMENT_HEAD, ""
    contact.save()
    assert client.get(reverse("partners:application_list")).status_code == 200


def test_application_list_shows_open_applications_first(client, partner):
    head = DepartmentHeadFactory(partner=partner)
    older_open = confirmed_application(name="Offen", official_key="03151001")
    for name, key in (("Zurückgezogen", "03151002"), ("Abgelehnt", "03151003")):
        decided = confirmed_application(name=name, official_key=key)
        if name == "Abgelehnt":
            services.application_vote(application=decided, voter=head, approve=False)
        else:
            services.application_withdraw(application=decided)
    client.force_login(head)

    response = client.get(reverse("partners:application_list"))

    names = [application.name for application in response.context["applications"]]
    assert names[0] == older_open.name
    assert set(names[1:]) == {"Zurückgezogen", "Abgelehnt"}
