"""Only the department head leaves their partner's decline (issue 15, point 10): staff can say
their partner is interested, but not undo the head's "Absage"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from initiatives import services
from initiatives.models import Participation
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db
Stage = Participation.Stage


@pytest.fixture
def declined(partner, department_head):
    initiative = InitiativeFactory(proposer=UserFactory())
    services.participation_set(initiative=initiative, actor=department_head, stage=Stage.DECLINED)
    return initiative


def stage_of(initiative, partner) -> str:
    return Participation.objects.get(initiative=initiative, partner=partner).stage


def test_staff_cannot_turn_the_heads_decline_into_interest(declined, staff, partner):
    with pytest.raises(PermissionDenied):
        services.participation_set(initiative=declined, actor=staff, stage=Stage.INTERESTED)
    assert stage_of(declined, partner) == Stage.DECLINED


def test_the_head_can_leave_the_decline(declined, department_head, partner):
    services.participation_set(initiative=declined, actor=department_head, stage=Stage.INTERESTED)
    assert stage_of(declined, partner) == Stage.INTERESTED


def test_staff_still_say_their_partner_is_interested_without_a_decline(staff, partner):
    initiative = InitiativeFactory(proposer=UserFactory())
    services.participation_set(initiative=initiative, actor=staff, stage=Stage.INTERESTED)
    assert stage_of(initiative, partner) == Stage.INTERESTED


def test_the_detail_page_offers_staff_no_way_out_of_a_decline(
    client, declined, staff, department_head, partner
):
    detail = reverse("initiatives:initiative_detail", args=[declined.pk])
    client.force_login(staff)
    assert 'name="stage" value="interested"' not in client.get(detail).text
    response = client.post(
        reverse("initiatives:participation", args=[declined.pk]), {"stage": "interested"}
    )
    assert response.status_code == 403
    assert stage_of(declined, partner) == Stage.DECLINED
    client.force_login(department_head)
    assert 'name="stage" value="interested"' in client.get(detail).text
