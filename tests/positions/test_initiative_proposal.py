"""'Initiative daraus vorschlagen' on an answered position pre-fills the proposal form of an
initiative with its title and a summary naming the position – through the proposal form's
address, which the initiatives app reads without knowing positions."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from positions import services
from tests.positions.helpers import url

pytestmark = pytest.mark.django_db


def answered(world, position):
    return services.answer_record(
        position=position,
        actor=world.people["admin"],
        received_on=timezone.localdate(),
        reference="Az. 9",
        summary="Der Dienstleister sagt eine offene Schnittstelle zu.",
    )


def test_an_answered_position_pre_fills_a_proposal(client, world):
    answered(world, world.sent)
    client.force_login(world.people["staff_b"])
    detail = client.get(url("position_detail", world.sent.pk))
    link = detail.context["initiative_proposal_url"]
    assert "Initiative daraus vorschlagen" in detail.text
    assert html.escape(link) in detail.text

    form = client.get(link).context["form"]

    assert form.initial["title"] == "Schnittstelle XMeld"
    date = timezone.localdate().strftime("%d.%m.%Y")
    assert form.initial["summary"] == (
        f"Folgt aus der gemeinsamen Position „Schnittstelle XMeld“ und der Antwort vom {date}."
    )
    assert f"/positionen/{world.sent.pk}/" in form.initial["description"]


def test_only_answered_positions_and_only_people_who_may_propose_get_the_link(client, world):
    client.force_login(world.people["staff_b"])
    assert (
        client.get(url("position_detail", world.sent.pk)).context["initiative_proposal_url"] is None
    )
    answered(world, world.published)
    client.logout()
    visitor = client.get(url("position_detail", world.published.pk))
    assert visitor.context["initiative_proposal_url"] is None
    assert "Initiative daraus vorschlagen" not in visitor.text
    client.force_login(world.people["admin"])  # the office does not propose initiatives
    assert (
        client.get(url("position_detail", world.published.pk)).context["initiative_proposal_url"]
        is None
    )


def test_a_pre_fill_too_long_for_the_form_is_left_out_with_a_warning(client, world):
    client.force_login(world.people["staff_b"])
    response = client.get(reverse("initiatives:initiative_create"), {"title": "x" * 201})
    assert "title" not in response.context["form"].initial
    assert "Vorbelegung in der Adresse ist ungültig" in response.text
