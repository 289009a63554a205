"""Row locks: what two people do at the same moment comes out as if one came after the other."""

import pytest
from django.core.exceptions import ValidationError

from outbox.models import EmailJob
from positions import services
from positions.models import PositionEvent
from tests.concurrency import at_the_same_moment
from tests.positions.helpers import Decision, build_position_world, fresh

Kind = PositionEvent.Kind


@pytest.fixture
def world(transactional_db):
    return build_position_world()


def refused_or(function):
    def run():
        try:
            return function()
        except ValidationError:
            return "refused"

    return run


def test_two_sends_at_the_same_moment_send_one_letter(world):
    services.cosignature_decide(position=world.cosigning, actor=world.head_c, signs=True)
    send = refused_or(
        lambda: services.position_send(
            position=world.cosigning, actor=world.people["head_a"], via="email"
        )
    )

    results = at_the_same_moment(send, 2)

    assert results.count("refused") == 1
    assert world.cosigning.events.filter(kind=Kind.SENT).count() == 1
    assert EmailJob.objects.filter(kind="position_letter").count() == 1


def test_a_decision_racing_a_text_change_never_holds_for_an_older_version(world):
    head_c, staff_a = world.head_c, world.people["staff_a"]
    calls = iter(
        [
            lambda: services.cosignature_decide(position=world.cosigning, actor=head_c, signs=True),
            lambda: services.position_update(
                position=world.cosigning,
                editor=staff_a,
                title="Registermodernisierung",
                text="Neu gefasst.",
                occasion="Anhörung",
                addressees=[world.land],
            ),
        ]
    )
    at_the_same_moment(lambda: next(calls)(), 2)

    position = fresh(world.cosigning)
    decided = position.cosignatures.exclude(decision=Decision.OPEN)
    assert position.current_version.number == 2
    assert set(decided.values_list("version", flat=True)) <= {position.current_version_id}


def test_two_decisions_of_one_partner_at_the_same_moment_make_one_row(world):
    head_c = world.head_c
    answers = iter([True, False])
    at_the_same_moment(
        lambda: services.cosignature_decide(
            position=world.cosigning, actor=head_c, signs=next(answers)
        ),
        2,
    )
    assert world.cosigning.cosignatures.filter(partner=world.partner_c).count() == 1
    assert world.cosigning.events.filter(partner=world.partner_c).count() == 2
