"""The rules of the initiatives app at the level of its services: the workflow of an initiative
and of each partner's participation, who may take each step, what every step records, and the
inventory of solutions. The rules are written out here as the issue states them, not read
from initiatives.workflow, so that a change of the tables shows up as a failing test."""

import datetime
import threading
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from initiatives import services
from initiatives.common_ground import common_ground
from initiatives.models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from partners.models import Partner
from tests.factories import (
    AdminFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    propose,
)

pytestmark = pytest.mark.django_db

Status = Initiative.Status
Stage = Participation.Stage
Kind = InitiativeEvent.Kind


def fresh(initiative):
    return Initiative.objects.get(pk=initiative.pk)


def stage_of(initiative, partner):
    return Participation.objects.get(initiative=initiative, partner=partner).stage


def kinds(initiative):
    return list(initiative.events.order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def heads(db):
    """The department heads of three member partners; the first one's partner leads."""
    return [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]


def activate(initiative, heads):
    for head in heads[:2]:
        services.participation_set(initiative=initiative, actor=head, stage=Stage.COMMITTED)
    return fresh(initiative)


# Proposing


def test_a_proposal_is_led_by_the_proposers_partner_which_is_interested(staff, partner):
    initiative = propose(staff)

    assert initiative.status == Status.PROPOSED
    assert initiative.lead_partner == partner
    assert stage_of(initiative, partner) == Stage.INTERESTED
    event = initiative.events.get()
    assert (event.kind, event.actor, event.partner) == (Kind.PROPOSED, staff, partner)
    assert list(initiative.follows.values_list("user", flat=True)) == [staff.pk]


@pytest.mark.parametrize("who", ["office", "former", "inactive"])
def test_only_people_of_member_partners_propose(who):
    person = {
        "office": lambda: AdminFactory(),
        "former": lambda: UserFactory(
            partner=PartnerFactory(status=Partner.Status.FORMER, left_on=datetime.date(2024, 1, 31))
        ),
        "inactive": lambda: UserFactory(is_active=False),
    }[who]()
    with pytest.raises(PermissionDenied):
        propose(person)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    "reference", ["Wohngeld", "99107004000000", "Leistung 9910700400"], ids=str
)
def test_an_ozg_reference_is_a_name_or_a_leika_key(staff, reference):
    assert propose(staff, ozg_reference=reference).ozg_reference == reference


@pytest.mark.parametrize("reference", ["12345", "991070040000001"])
def test_a_number_that_is_no_leika_key_is_refused(staff, reference):
    with pytest.raises(ValidationError) as error:
        propose(staff, ozg_reference=reference)
    assert "ozg_reference" in error.value.message_dict
    assert not Initiative.objects.exists()


# Editing and withdrawing


def test_the_proposer_edits_and_each_change_is_recorded_once(staff):
    initiative = propose(staff)
    services.initiative_update(initiative=initiative, editor=staff, title="Wohngeld digital")
    services.initiative_update(initiative=initiative, editor=staff, title="Wohngeld digital")

    assert fresh(initiative).title == "Wohngeld digital"
    assert kinds(initiative) == [Kind.PROPOSED, Kind.EDITED]


def test_nobody_else_edits_a_proposal(staff, partner):
    initiative = propose(staff)
    colleague = UserFactory(partner=partner)
    for editor in (colleague, DepartmentHeadFactory(partner=partner), AdminFactory()):
        with pytest.raises(PermissionDenied):
            services.initiative_update(initiative=initiative, editor=editor, title="Fremd")
    assert fresh(initiative).title == "Digitaler Wohngeldantrag"


def test_the_proposer_cannot_change_the_lead_or_the_status(staff):
    initiative = propose(staff)
    with pytest.raises(ValueError, match="lead_partner"):
        services.initiative_update(
            initiative=initiative, editor=staff, lead_partner=PartnerFactory()
        )
    with pytest.raises(ValueError, match="status"):
        services.initiative_update(initiative=initiative, editor=staff, status=Status.ACTIVE)


def test_an_active_initiative_is_no_longer_edited_or_withdrawn(heads):
    initiative = activate(propose(heads[0]), heads)
    with pytest.raises(PermissionDenied):
        services.initiative_update(initiative=initiative, editor=heads[0], title="Später")
    with pytest.raises(ValidationError):
        services.initiative_withdraw(initiative=initiative, actor=heads[0])
    assert fresh(initiative).status == Status.ACTIVE


def test_only_the_proposer_withdraws(staff, partner):
    initiative = propose(staff)
    with pytest.raises(PermissionDenied):
        services.initiative_withdraw(
            initiative=initiative, actor=DepartmentHeadFactory(partner=partner)
        )
    services.initiative_withdraw(initiative=initiative, actor=staff)
    assert fresh(initiative).status == Status.WITHDRAWN
    assert kinds(initiative)[-1] == Kind.WITHDRAWN
    with pytest.raises(ValidationError):
        services.initiative_withdraw(initiative=initiative, actor=staff)


# Participation: the way of each partner, written out as the issue states it

ALLOWED_STAGE_CHANGES = {
    (None, Stage.INTERESTED),
    (None, Stage.COMMITTED),
    (None, Stage.DECLINED),
    (Stage.INTERESTED, Stage.COMMITTED),
    (Stage.INTERESTED, Stage.DECLINED),
    (Stage.DECLINED, Stage.INTERESTED),
    (Stage.DECLINED, Stage.COMMITTED),
    (Stage.COMMITTED, Stage.ADOPTED),
}
# The partner reuses a result: there must be one in the making or made.
ADOPTION_NEEDS = {Status.ACTIVE, Status.COMPLETED}
OTHER_STAGES_NEED = {Status.PROPOSED, Status.ACTIVE, Status.PAUSED}


def initiative_in(status, heads):
    """An initiative led by heads[0]'s partner in `status`, with heads[0] and heads[1]
    committed once it is active (heads[2]'s partner has said nothing)."""
    initiative = propose(heads[0])
    if status == Status.WITHDRAWN:
        return services.initiative_withdraw(initiative=initiative, actor=heads[0])
    if status == Status.PROPOSED:
        return initiative
    initiative = activate(initiative, heads)
    if status != Status.ACTIVE:
        services.initiative_change_status(initiative=initiative, actor=heads[0], status=status)
    return fresh(initiative)


def bring_partner_to(initiative, head, stage):
    """Sets the participation row directly: the state a partner may be in for the test."""
    if stage is not None:
        Participation.objects.update_or_create(
            initiative=initiative, partner=head.partner, defaults={"stage": stage}
        )


@pytest.mark.parametrize(
    ("status", "current", "wanted"),
    [
        pytest.param(status, current, wanted, id=f"{status}-{current}-{wanted}")
        for status, current, wanted in product(
            [Status.PROPOSED, Status.ACTIVE, Status.PAUSED, Status.COMPLETED, Status.WITHDRAWN],
            [None, *Stage.values],
            Stage.values,
        )
    ],
)
def test_every_stage_change_in_every_status(heads, status, current, wanted):
    initiative = initiative_in(status, heads)
    head = heads[2]
    bring_partner_to(initiative, head, current)
    allowed = (current, wanted) in ALLOWED_STAGE_CHANGES and status in (
        ADOPTION_NEEDS if wanted == Stage.ADOPTED else OTHER_STAGES_NEED
    )
    events_before = initiative.events.count()

    if allowed:
        participation = services.participation_set(initiative=initiative, actor=head, stage=wanted)
        assert participation.stage == wanted
        assert participation.changed_by == head
        event = initiative.events.order_by("pk")[events_before]
        assert (event.actor, event.partner) == (head, head.partner)
    else:
        with pytest.raises(ValidationError) as error:
            services.participation_set(initiative=initiative, actor=head, stage=wanted)
        assert error.value.messages[0]  # a sentence for the page
        assert (
            Participation.objects.filter(initiative=initiative, partner=head.partner)
            .values_list("stage", flat=True)
            .first()
        ) == current
        assert initiative.events.count() == events_before


@pytest.mark.parametrize("stage", [Stage.COMMITTED, Stage.DECLINED, Stage.ADOPTED])
def test_staff_declare_interest_but_decide_nothing(heads, stage):
    initiative = initiative_in(Status.ACTIVE, heads)
    staff = UserFactory(partner=heads[2].partner)
    with pytest.raises(PermissionDenied):
        services.participation_set(initiative=initiative, actor=staff, stage=stage)
    services.participation_set(initiative=initiative, actor=staff, stage=Stage.INTERESTED)
    assert stage_of(initiative, staff.partner) == Stage.INTERESTED


def test_the_office_takes_no_part(heads):
    initiative = propose(heads[0])
    for stage in Stage.values:
        with pytest.raises(PermissionDenied):
            services.participation_set(initiative=initiative, actor=AdminFactory(), stage=stage)


def test_the_second_commitment_makes_the_proposal_active_once(heads):
    initiative = propose(heads[0])
    services.participation_set(initiative=initiative, actor=heads[0], stage=Stage.COMMITTED)
    assert fresh(initiative).status == Status.PROPOSED

    services.participation_set(initiative=initiative, actor=heads[1], stage=Stage.COMMITTED)
    assert fresh(initiative).status == Status.ACTIVE
    services.participation_set(initiative=initiative, actor=heads[2], stage=Stage.COMMITTED)

    assert kinds(initiative) == [
        Kind.PROPOSED,
        Kind.COMMITTED,
        Kind.COMMITTED,
        Kind.ACTIVATED,
        Kind.COMMITTED,
    ]
    activated = initiative.events.get(kind=Kind.ACTIVATED)
    assert (activated.actor, activated.partner) == (None, heads[0].partner)


def test_declines_and_interest_do_not_activate(heads):
    initiative = propose(heads[0])
    services.participation_set(initiative=initiative, actor=heads[0], stage=Stage.COMMITTED)
    services.participation_set(initiative=initiative, actor=heads[1], stage=Stage.DECLINED)
    services.participation_set(initiative=initiative, actor=heads[2], stage=Stage.INTERESTED)
    assert fresh(initiative).status == Status.PROPOSED


def test_committing_partners_heads_follow_automatically(heads):
    initiative = propose(UserFactory(partner=heads[0].partner))
    second_head = DepartmentHeadFactory(partner=heads[1].partner)
    services.participation_set(initiative=initiative, actor=heads[1], stage=Stage.COMMITTED)
    followers = set(initiative.follows.values_list("user", flat=True))
    assert {heads[1].pk, second_head.pk} <= followers
    assert heads[0].pk not in followers  # their partner has not taken part yet
    services.participation_set(initiative=initiative, actor=heads[2], stage=Stage.DECLINED)
    assert heads[2].pk not in set(initiative.follows.values_list("user", flat=True))


def test_two_heads_committing_at_the_same_moment_activate_once(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI always runs it")
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]
    initiative = propose(UserFactory(partner=heads[0].partner))
    barrier = threading.Barrier(3)
    errors = []

    def commit(head):
        try:
            barrier.wait(timeout=10)
            services.participation_set(initiative=initiative, actor=head, stage=Stage.COMMITTED)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=(head,)) for head in heads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert fresh(initiative).status == Status.ACTIVE
    assert initiative.events.filter(kind=Kind.ACTIVATED).count() == 1
    assert initiative.events.filter(kind=Kind.COMMITTED).count() == 3


# Steering: the lead partner's department head

ALLOWED_STATUS_CHANGES = {
    (Status.ACTIVE, Status.PAUSED): Kind.PAUSED,
    (Status.PAUSED, Status.ACTIVE): Kind.RESUMED,
    (Status.ACTIVE, Status.COMPLETED): Kind.COMPLETED,
}


@pytest.mark.parametrize(
    ("current", "wanted"), list(product(Status.values, Status.values)), ids=str
)
def test_every_status_change(heads, current, wanted):
    initiative = initiative_in(current, heads)
    events_before = initiative.events.count()
    if (current, wanted) in ALLOWED_STATUS_CHANGES:
        services.initiative_change_status(initiative=initiative, actor=heads[0], status=wanted)
        assert fresh(initiative).status == wanted
        event = initiative.events.order_by("-pk").first()
        assert (event.kind, event.actor) == (ALLOWED_STATUS_CHANGES[current, wanted], heads[0])
    else:
        with pytest.raises(ValidationError):
            services.initiative_change_status(initiative=initiative, actor=heads[0], status=wanted)
        assert fresh(initiative).status == current
        assert initiative.events.count() == events_before


def test_only_the_lead_partners_head_steers(heads):
    initiative = initiative_in(Status.ACTIVE, heads)
    others = [
        heads[1],  # committed, but not the lead
        UserFactory(partner=heads[0].partner),  # the lead's staff
        AdminFactory(),
    ]
    for person in others:
        with pytest.raises(PermissionDenied):
            services.initiative_change_status(
                initiative=initiative, actor=person, status=Status.COMPLETED
            )
    assert fresh(initiative).status == Status.ACTIVE
    services.initiative_change_status(
        initiative=initiative, actor=heads[0], status=Status.COMPLETED
    )
    assert fresh(initiative).status == Status.COMPLETED


def test_every_step_moves_the_last_activity(heads):
    initiative = propose(heads[0])
    first = fresh(initiative).last_activity_at
    services.participation_set(initiative=initiative, actor=heads[1], stage=Stage.INTERESTED)
    second = fresh(initiative).last_activity_at
    services.comment_add(initiative=initiative, author=heads[2], body="Gute Idee.")
    assert first < second < fresh(initiative).last_activity_at


# Discussion and following


def test_comments_are_edited_and_deleted_by_their_author_only(staff, partner):
    initiative = propose(staff)
    comment = services.comment_add(initiative=initiative, author=staff, body="Erster Gedanke")
    assert comment.partner == partner
    assert comment.edited_at is None

    services.comment_edit(comment=comment, editor=staff, body="Erster Gedanke")
    assert Comment.objects.get(pk=comment.pk).edited_at is None  # nothing changed
    services.comment_edit(comment=comment, editor=staff, body="Zweiter Gedanke")
    assert Comment.objects.get(pk=comment.pk).edited_at is not None

    colleague = DepartmentHeadFactory(partner=partner)
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, editor=colleague, body="Übernommen")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, actor=AdminFactory())
    services.comment_delete(comment=comment, actor=staff)
    assert not Comment.objects.exists()


def test_a_withdrawn_initiative_takes_no_comments(staff):
    initiative = services.initiative_withdraw(initiative=propose(staff), actor=staff)
    with pytest.raises(ValidationError):
        services.comment_add(initiative=initiative, author=staff, body="Schade")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "x" * 5001])
def test_empty_or_too_long_comments_are_refused(staff, body):
    with pytest.raises(ValidationError):
        services.comment_add(initiative=propose(staff), author=staff, body=body)
    assert not Comment.objects.exists()


def test_follow_twice_is_one_follow_and_unfollow_ends_it(staff):
    initiative = propose(UserFactory())
    services.follow(initiative=initiative, user=staff)
    services.follow(initiative=initiative, user=staff)
    assert Follow.objects.filter(initiative=initiative, user=staff).count() == 1
    services.unfollow(initiative=initiative, user=staff)
    assert not Follow.objects.filter(initiative=initiative, user=staff).exists()


# The inventory of solutions


def test_the_same_product_spelled_differently_is_one_entry(staff, area):
    services.solution_record(recorded_by=staff, area=area, product="OK.EWO", vendor="AKDB")
    with pytest.raises(ValidationError) as error:
        services.solution_record(recorded_by=staff, area=area, product="  ok.ewo ")
    assert "product" in error.value.message_dict
    assert Solution.objects.count() == 1


def test_another_partner_records_the_same_product_and_that_is_common_ground(area):
    people = [UserFactory(partner=PartnerFactory()) for _ in range(3)]
    services.solution_record(recorded_by=people[0], area=area, product="XBau")
    services.solution_record(recorded_by=people[1], area=area, product="xbau ")
    services.solution_record(recorded_by=people[2], area=area, product="XMeld")

    ground = common_ground(Partner.objects.all())
    [shared] = ground.shared[area.pk]
    assert shared.product == "XBau"
    assert {partner.pk for partner in shared.partners} == {
        people[0].partner_id,
        people[1].partner_id,
    }


def test_renaming_onto_an_existing_entry_is_refused(staff, area):
    first = services.solution_record(recorded_by=staff, area=area, product="ePayBL")
    second = services.solution_record(recorded_by=staff, area=area, product="pmPayment")
    with pytest.raises(ValidationError):
        services.solution_update(solution=second, editor=staff, product="EPAYBL")
    assert Solution.objects.get(pk=second.pk).product == "pmPayment"
    assert Solution.objects.get(pk=first.pk).product == "ePayBL"


def test_only_people_of_the_partner_change_its_solutions(staff, area):
    solution = services.solution_record(recorded_by=staff, area=area, product="ePayBL")
    stranger = DepartmentHeadFactory(partner=PartnerFactory())
    with pytest.raises(PermissionDenied):
        services.solution_update(solution=solution, editor=stranger, product="Anders")
    with pytest.raises(PermissionDenied):
        services.solution_delete(solution=solution, actor=AdminFactory())
    colleague = UserFactory(partner=staff.partner)
    services.solution_update(solution=solution, editor=colleague, vendor="ePayBL-Verbund")
    updated = Solution.objects.get(pk=solution.pk)
    assert (updated.vendor, updated.recorded_by) == ("ePayBL-Verbund", colleague)
    services.solution_delete(solution=solution, actor=colleague)
    assert not Solution.objects.exists()


def test_the_office_records_no_solutions(area):
    with pytest.raises(PermissionDenied):
        services.solution_record(recorded_by=AdminFactory(), area=area, product="ePayBL")
