"""The demo positions: three states, invented addressees marked as demo, loaded once."""

import pytest

from kooperation.devdata.demo import load_demo_data
from positions.models import Addressee, CoSignature, Position

pytestmark = pytest.mark.django_db


def test_demo_positions_show_three_states_and_load_once():
    load_demo_data()
    load_demo_data()

    by_status = dict(Position.objects.values_list("status", "title"))
    assert set(by_status) == {"answered", "cosigning", "draft"}
    assert Position.objects.count() == 3
    answered = Position.objects.get(status="answered")
    assert answered.is_published
    assert answered.answer.reference
    assert answered.addressees.get().kind == Addressee.Kind.LAND
    waiting = Position.objects.get(status="cosigning")
    signing = waiting.cosignatures.filter(decision=CoSignature.Decision.SIGNS)
    assert "Landkreis Gifhorn" not in set(signing.values_list("partner__name", flat=True))
    assert signing.count() == 3
    assert all(a.is_demo for a in Addressee.objects.all())
    assert all(a.email.endswith(".example") for a in Addressee.objects.exclude(email=""))
