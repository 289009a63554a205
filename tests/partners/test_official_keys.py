"""One identity per Kommune, however its official key is written (issue 18, item 1)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import official_keys, services
from partners.models import Application, ApplicationEvent, Partner
from partners.validators import validate_official_key
from tests.factories import (
    DepartmentHeadFactory,
    PartnerFactory,
    application_data,
    confirmed_application,
)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("03151", "03151"),  # Landkreis Gifhorn: Kreisschlüssel
        ("03151000", "03151"),  # … written as an "AGS"
        ("031510000000", "03151"),  # … as ARS
        ("03101000", "03101"),  # Braunschweig, kreisfreie Stadt
        ("031010000000", "03101"),
        ("03158037", "03158037"),  # Stadt Wolfenbüttel: AGS
        ("031580037037", "03158037"),  # … as ARS (Verband 0037)
        ("031585401001", "03158001"),  # a Gemeinde of a Samtgemeinde, as ARS
        ("031585401000", "031585401000"),  # the Samtgemeinde: only an ARS
        ("11000000", "11000"),  # Berlin
    ],
)
def test_every_form_of_a_key_has_one_canonical_form(written, stored):
    assert official_keys.canonical(written) == stored


def test_the_shipped_list_has_the_400_kreise_of_germany():
    kreise = official_keys.kreise()
    assert len(kreise) == 400
    assert sum(1 for _name, art in kreise.values() if art == "Kreisfreie Stadt") == 106
    assert kreise["03154"] == ("Landkreis Helmstedt", "Landkreis")
    assert kreise["03101"] == ("Stadt Braunschweig", "Kreisfreie Stadt")
    assert "16056" not in kreise  # Eisenach belongs to the Wartburgkreis since 2021


@pytest.mark.parametrize("key", ["03999000", "03999", "039990000000", "03552001", "16056000"])
def test_a_key_in_a_kreis_that_does_not_exist_is_refused(key):
    with pytest.raises(ValidationError) as caught:
        validate_official_key(key)
    assert caught.value.code == "kreis"
    assert "in Niedersachsen nicht" in str(caught.value) or key.startswith("16")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member_key", "written"),
    [("03151", "03151000"), ("03151", "031510000000"), ("03101", "031010000000")],
)
def test_a_member_cannot_apply_again_under_another_form_of_its_key(member_key, written):
    PartnerFactory(name="Landkreis Gifhorn", official_key=member_key)
    with pytest.raises(ValidationError, match="bereits einen Partner"):
        services.application_submit(**application_data(name="Neu", official_key=written))


@pytest.mark.django_db
def test_one_kommune_cannot_apply_twice_under_different_forms(client):
    PartnerFactory()
    first = confirmed_application(name="Landkreis Helmstedt", official_key="03154000")
    assert first.official_key == "03154"
    for written in ("03154", "031540000000"):
        with pytest.raises(ValidationError, match="offener Beitrittsantrag"):
            services.application_submit(
                **application_data(name="Landkreis Helmstedt", official_key=written)
            )
    # Through the form too, with the reason.
    page = client.get(reverse("partners:application_create"))
    data = {
        **application_data(name="Landkreis Helmstedt", official_key="0315 4000 0000"),
        "homepage": "",
        "started": page.context["form"].initial["started"],
    }
    response = client.post(reverse("partners:application_create"), data)
    assert "liegt bereits ein offener Beitrittsantrag vor" in response.text
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_form_refuses_a_kreis_that_does_not_exist(client):
    page = client.get(reverse("partners:application_create"))
    data = {
        **application_data(official_key="03999000"),
        "homepage": "",
        "started": page.context["form"].initial["started"],
    }
    response = client.post(reverse("partners:application_create"), data)
    assert "Einen Kreis mit dem Kreisschlüssel 03999" in response.text
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_keys_are_labelled_kreisschluessel_for_a_district_and_ags_for_a_municipality(client):
    gifhorn = PartnerFactory(name="Landkreis Gifhorn", kind="landkreis", official_key="03151")
    braunschweig = PartnerFactory(
        name="Stadt Braunschweig", kind="kreisfreie_stadt", official_key="03101"
    )
    detail = client.get(reverse("partners:partner_detail", args=[gifhorn.slug])).text
    assert "Kreisschlüssel" in detail
    assert "03151" in detail
    assert "Gemeindeschlüssel" not in detail
    detail = client.get(reverse("partners:partner_detail", args=[braunschweig.slug])).text
    assert "Amtlicher Gemeindeschlüssel (AGS)" in detail
    assert "03101000" in detail
    listing = client.get(reverse("partners:partner_list")).text
    assert "Kreisschlüssel 03151" in listing
    assert "Amtlicher Gemeindeschlüssel (AGS) 03101000" in listing
    # The directory finds Braunschweig by any form of its key.
    found = client.get(reverse("partners:partner_list"), {"q": "031010000000"}).text
    assert "Stadt Braunschweig" in found
    assert "Landkreis Gifhorn" not in found


@pytest.mark.django_db
def test_the_application_list_and_page_show_the_key_with_its_label(client):
    head = DepartmentHeadFactory(partner=PartnerFactory())
    application = confirmed_application(
        name="Landkreis Helmstedt", kind="landkreis", official_key="031540000000"
    )
    client.force_login(head)
    listing = client.get(reverse("partners:application_list")).text
    assert "Kreisschlüssel 03154" in listing
    detail = client.get(reverse("partners:application_detail", args=[application.pk])).text
    assert "Kreisschlüssel" in detail
    assert "03154" in detail


@pytest.mark.django_db
def test_the_data_migration_stores_canonical_keys_and_closes_duplicate_applications():
    member = PartnerFactory(name="Landkreis Gifhorn", official_key="03151000")
    PartnerFactory(name="Stadt Braunschweig", official_key="031010000000")
    data = {"kind": "landkreis", "contact_name": "A", "contact_email": "a@b.example"}
    rows = [
        ("Landkreis Helmstedt", "03154000", "pending"),
        ("Landkreis Helmstedt", "03154", "pending"),
        ("Landkreis Helmstedt", "031540000000", "unconfirmed"),
        ("Landkreis Gifhorn", "03151", "pending"),
        ("Stadt Wolfenbüttel", "031580037037", "admitted"),
    ]
    created = [
        Application.objects.create(name=name, official_key=key, status=status, **data)
        for name, key, status in rows
    ]

    module = importlib.import_module("partners.migrations.0008_canonical_official_keys")
    module.to_canonical(apps, None)

    member.refresh_from_db()
    assert member.official_key == "03151"
    assert Partner.objects.filter(official_key="03101").exists()
    states = [
        Application.objects.values_list("official_key", "status").get(pk=a.pk) for a in created
    ]
    assert states == [
        ("03154", "pending"),  # the first stays open
        ("03154", "withdrawn"),
        ("03154", "withdrawn"),
        ("03151", "withdrawn"),  # Gifhorn is a member
        ("03158037", "admitted"),
    ]
    closing = ApplicationEvent.objects.get(application=created[3])
    assert closing.kind == "withdrawn"
    assert "bereits Partner" in closing.comment
