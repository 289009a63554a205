"""A refused action says why and what the person can do instead (the 403 page), whichever app
refuses it and whether the view or the service says no."""

import datetime

import pytest
from django.urls import reverse

from initiatives import permissions as initiative_permissions
from initiatives import services as initiative_services
from initiatives.models import Initiative, Participation
from positions import permissions as position_permissions
from tests.factories import (
    AgreementVersionFactory,
    CommentFactory,
    DepartmentHeadFactory,
    UserFactory,
    draft_position,
    propose,
)

pytestmark = pytest.mark.django_db


def refusal_page(response) -> str:
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text
    return response.text


def test_staff_opening_the_applications_learn_who_votes_and_whom_to_ask(client, staff):
    client.force_login(staff)
    text = refusal_page(client.get(reverse("partners:application_list")))
    assert "Über Beitritte stimmen die Dezernentinnen und Dezernenten" in text
    assert "wenden Sie sich bitte an die Dezernentin oder den Dezernenten Ihres Partners" in text


def test_a_commitment_forged_by_staff_says_who_commits(client, staff, area):
    initiative = propose(staff, area=area)
    client.force_login(UserFactory(partner=staff.partner))
    response = client.post(
        reverse("initiatives:participation", args=[initiative.pk]), {"stage": "committed"}
    )
    text = refusal_page(response)
    assert str(initiative_permissions.REFUSED_SET_STAGE) in text
    assert "Bitten Sie die Dezernentin oder den Dezernenten Ihres Partners darum." in text
    assert not Participation.objects.filter(stage=Participation.Stage.COMMITTED).exists()


def test_completing_another_partners_initiative_says_who_decides(
    client, department_head, other_partner, area
):
    initiative = propose(UserFactory(partner=department_head.partner), area=area)
    other_head = DepartmentHeadFactory(partner=other_partner)
    for head in (department_head, other_head):
        initiative_services.participation_set(
            initiative=initiative, actor=head, stage=Participation.Stage.COMMITTED
        )
    client.force_login(other_head)
    response = client.post(
        reverse("initiatives:initiative_status", args=[initiative.pk]), {"status": "completed"}
    )
    text = refusal_page(response)
    assert "Dezernentin oder der Dezernent des federführenden Partners" in text
    assert "Schlagen Sie es bitte in einem Kommentar zur Initiative vor." in text
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.ACTIVE


@pytest.mark.parametrize(
    ("route", "refusal"),
    [
        ("initiatives:initiative_update", initiative_permissions.REFUSED_EDIT),
        ("initiatives:initiative_withdraw", initiative_permissions.REFUSED_WITHDRAW),
    ],
)
def test_a_page_for_the_proposer_says_so_not_who_may_browse(client, staff, area, route, refusal):
    initiative = propose(staff, area=area)
    client.force_login(UserFactory(partner=staff.partner))
    text = refusal_page(client.get(reverse(route, args=[initiative.pk])))
    assert str(refusal) in text
    assert str(initiative_permissions.REFUSED_BROWSE) not in text


def test_someone_elses_comment_says_whose_it_is(client, staff, area):
    comment = CommentFactory(initiative=propose(staff, area=area), author=staff)
    client.force_login(UserFactory(partner=staff.partner))
    text = refusal_page(client.get(reverse("initiatives:comment_update", args=[comment.pk])))
    assert "Einen Kommentar bearbeitet oder löscht nur, wer ihn geschrieben hat." in text


def test_the_office_without_a_partner_learns_why_it_records_no_solutions(client, office_admin):
    client.force_login(office_admin)
    text = refusal_page(client.get(reverse("initiatives:solution_list")))
    assert str(initiative_permissions.REFUSED_RECORD_SOLUTION) in text


def test_a_position_step_of_the_lead_head_says_whom_to_ask(client, staff):
    position = draft_position(staff)
    client.force_login(staff)
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    response = client.post(
        reverse("positions:open", args=[position.pk]), {"deadline": deadline.isoformat()}
    )
    text = refusal_page(response)
    assert str(position_permissions.REFUSED_LEAD_HEADS_STEP) in text
    assert "Bitten Sie die Dezernentin oder den Dezernenten des federführenden Partners" in text


def test_editing_another_partners_position_says_who_edits(client, staff, other_partner):
    position = draft_position(staff)
    client.force_login(UserFactory(partner=other_partner))
    text = refusal_page(client.get(reverse("positions:position_update", args=[position.pk])))
    assert str(position_permissions.REFUSED_EDIT) in text


def test_staff_signing_the_agreement_learn_that_the_office_records_signatures(client, staff):
    version = AgreementVersionFactory()
    client.force_login(staff)
    response = client.post(reverse("partners:agreement_send_for_signature", args=[version.pk]))
    text = refusal_page(response)
    assert "gibt die Geschäftsstelle zur Unterzeichnung frei" in text
    assert "senden Sie bitte an die Geschäftsstelle" in text


def test_a_refusal_without_a_reason_still_says_whom_to_ask(rf, staff):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = staff
    response = permission_denied(request, PermissionDenied())
    assert "wenden Sie sich bitte an die Geschäftsstelle" in response.content.decode()


def test_staff_opening_the_admin_learn_that_it_is_the_offices(client, staff):
    client.force_login(staff)
    response = client.get("/verwaltung/", follow=True)
    text = refusal_page(response)
    assert "Die Verwaltung ist der Geschäftsstelle der Kooperation vorbehalten." in text
