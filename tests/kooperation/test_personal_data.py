"""GDPR: a person downloads what the portal stores about them, and deletes their account while
the cooperation's records stay with "ehemalige Person"."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from initiatives import services as initiative_services
from initiatives.models import Comment, Initiative, InitiativeEvent
from kooperation.models import DigestSetting, OverviewState
from partners import services as partner_services
from partners.models import User
from tests.factories import (
    TEST_PASSWORD,
    AreaFactory,
    DepartmentHeadFactory,
    UserFactory,
    application_data,
    propose,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("personal_data")
EXPORT = reverse("personal_data_export")


@pytest.fixture
def person(partner):
    person = UserFactory(partner=partner, email="anna@adorf.example", name="Anna Adorf")
    initiative = propose(person, AreaFactory(name="Online-Dienste"), title="Kita-Portal")
    initiative_services.comment_add(initiative=initiative, author=person, body="Mein Kommentar")
    DigestSetting.objects.create(user=person, frequency="daily")
    return person


def test_the_pages_need_sign_in(client):
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_download_holds_the_persons_data_and_nothing_of_others(client, person):
    other = UserFactory(partner=person.partner, email="berta@adorf.example", name="Berta")
    initiative = Initiative.objects.get()
    initiative_services.comment_add(initiative=initiative, author=other, body="Fremder Text")
    client.force_login(person)
    client.get("/")  # Mein Überblick notes the visit

    response = client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten.json"'
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    data = json.loads(response.content)
    assert data["person"]["email"] == "anna@adorf.example"
    assert data["person"]["partner"] == person.partner.name
    assert [c["text"] for c in data["kommentare"]] == ["Mein Kommentar"]
    assert [i["titel"] for i in data["vorgeschlagene_initiativen"]] == ["Kita-Portal"]
    assert data["zusammenfassung"]["rhythmus"] == "Täglich"
    assert [f["initiative"] for f in data["gefolgte_initiativen"]] == ["Kita-Portal"]
    assert data["ueberblick"]["zuletzt_gesehen"] is not None
    feed_key = OverviewState.objects.get(user=person).feed_key
    assert data["email_adressen"] == [
        {"email": "anna@adorf.example", "bestaetigt": True, "primaer": True}
    ]
    text = response.content.decode()
    assert "Fremder Text" not in text
    assert "berta@adorf.example" not in text
    assert feed_key not in text  # a secret, like the password


def test_the_download_costs_the_same_queries_with_much_data(
    client, person, django_assert_max_num_queries
):
    initiative = Initiative.objects.get()
    for number in range(30):
        initiative_services.comment_add(initiative=initiative, author=person, body=f"Nr. {number}")
    client.force_login(person)
    client.get(PAGE)
    with django_assert_max_num_queries(20):
        assert client.get(EXPORT).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "falsch", "confirm": "on"}, "Das Passwort stimmt nicht."),
        ({"password": TEST_PASSWORD}, "Bitte bestätigen Sie"),
        ({}, "zwingend erforderlich"),
    ],
)
def test_deleting_needs_the_password_and_a_confirmation(client, person, data, message):
    client.force_login(person)
    response = client.post(PAGE, data)
    assert response.status_code == 200
    assert message in response.text
    assert User.objects.filter(pk=person.pk).exists()


def test_deleting_the_account_keeps_the_cooperations_records(client, person):
    initiative = Initiative.objects.get()
    phone = Client()
    phone.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})
    phone_key = phone.session.session_key
    client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})

    response = client.post(PAGE, {"password": TEST_PASSWORD, "confirm": "on"}, follow=True)

    assert "Ihr Konto ist gelöscht" in response.text
    assert not User.objects.filter(pk=person.pk).exists()
    assert not DigestSetting.objects.exists()
    assert not Session.objects.filter(session_key=phone_key).exists()  # every session ended
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (None, "Mein Kommentar")
    initiative.refresh_from_db()
    assert initiative.proposer is None
    assert InitiativeEvent.objects.filter(initiative=initiative, actor=None).exists()
    viewer = DepartmentHeadFactory(partner=initiative.lead_partner)
    client.force_login(viewer)
    detail = client.get(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    assert "ehemalige Person" in detail.text
    assert "Anna Adorf" not in detail.text


def test_too_many_password_tries_answer_429(client, person):
    client.force_login(person)
    statuses = [
        client.post(PAGE, {"password": "falsch", "confirm": "on"}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_the_download_holds_applications_with_the_persons_address_and_mfa_metadata(client, person):
    partner_services.application_submit(
        **application_data(
            name="Gemeinde Neudorf",
            official_key="03151009",
            contact_name="Anna Adorf",
            contact_email="Anna@Adorf.example",
            motivation="Wir möchten mitarbeiten.",
        )
    )
    partner_services.application_submit(
        **application_data(
            official_key="03151010",
            contact_name="Berta",
            contact_email="berta@fremd.example",
            motivation="Andere Leute.",
        )
    )
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "GEHEIMESGEHEIMNIS"}
    )
    client.force_login(person)

    data = json.loads(client.get(EXPORT).content)

    applications = data["beitrittsantraege_als_ansprechperson"]
    assert [a["kommune"] for a in applications] == ["Gemeinde Neudorf"]
    assert applications[0]["motivation"] == "Wir möchten mitarbeiten."
    [factor] = data["zweiter_faktor"]
    assert factor["art"] == str(Authenticator.Type.TOTP.label)
    assert factor["eingerichtet_am"]
    assert factor["zuletzt_genutzt"] is None
    assert "GEHEIMESGEHEIMNIS" not in json.dumps(data)


def test_the_download_holds_the_persons_comments_on_positions_and_those_they_follow(client, person):
    from initiatives import discussion
    from positions.discussion import POSITIONS
    from tests.factories import AddresseeFactory, draft_position

    position = draft_position(person, [AddresseeFactory()], title="Brief an das Land")
    discussion.comment_add(
        discussion=POSITIONS, subject=position, author=person, body="Zur Position"
    )
    client.force_login(person)

    data = json.loads(client.get(EXPORT).content)

    assert [c["text"] for c in data["kommentare_zu_positionen"]] == ["Zur Position"]
    assert [c["position"] for c in data["kommentare_zu_positionen"]] == ["Brief an das Land"]
    assert [f["position"] for f in data["gefolgte_positionen"]] == ["Brief an das Land"]
