"""An application that admission could not carry out is refused at submission; a former
partner applies again and comes back as itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import Application, Partner
from tests.factories import (
    DepartmentHeadFactory,
    InitiativeFactory,
    PartnerFactory,
    confirmed_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    return [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(2)]


def approve_all(application, heads):
    for head in heads:
        services.application_vote(application=application, voter=head, approve=True)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("spelling", ["same", "case"])
def test_a_name_an_existing_partner_has_is_refused_at_submission(members, spelling):
    name = members[0].partner.name
    with pytest.raises(ValidationError) as caught:
        confirmed_application(name=name if spelling == "same" else name.upper())
    assert "Unter diesem Namen gibt es bereits einen Partner" in str(caught.value)
    assert not Application.objects.exists()


def test_the_join_form_names_the_field(client, members):
    response = client.post(
        reverse("partners:application_create"),
        {
            "name": members[0].partner.name,
            "kind": Partner.Kind.STADT,
            "official_key": "03158037",
            "email_domains": "wolfenbuettel.example",
            "contact_name": "Maria Neumann",
            "contact_email": "maria@wolfenbuettel.example",
            "motivation": "Gemeinsam.",
            "started": client.get(reverse("partners:application_create"))
            .context["form"]
            .initial["started"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        services.partner_name_taken(members[0].partner.name, "03158037")
    ]


def test_a_second_pending_application_under_the_same_name_is_refused(members):
    confirmed_application()
    with pytest.raises(ValidationError) as caught:
        confirmed_application(official_key="03158000")
    assert "offener Beitrittsantrag" in str(caught.value)


def test_a_former_partner_rejoins_as_its_own_record_with_its_history(members):
    former = PartnerFactory(
        name="Stadt Wolfenbüttel",
        official_key="03158037",
        status=Partner.Status.FORMER,
        joined_on=datetime.date(2021, 1, 1),
        left_on=datetime.date(2023, 6, 30),
    )
    initiative = InitiativeFactory(proposer__partner=former)
    application = approve_all(confirmed_application(), members)
    assert application.status == Application.Status.ADMITTED
    assert application.admitted_partner == former
    former.refresh_from_db()
    assert (former.status, former.left_on) == (Partner.Status.MEMBER, None)
    assert former.joined_on == application.decided_at.astimezone().date()
    assert initiative.lead_partner_id == former.pk
    assert Partner.objects.filter(official_key="03158037").count() == 1


def test_a_member_cannot_apply_again(members):
    with pytest.raises(ValidationError) as caught:
        confirmed_application(
            name=members[0].partner.name, official_key=members[0].partner.official_key
        )
    assert "bereits einen Partner" in str(caught.value)
