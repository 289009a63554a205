"""Each rule of initiatives is written once: the pages ask the predicates of
initiatives.permissions, every sentence about activation derives from
workflow.COMMITMENTS_TO_ACTIVATE, and the badge of a status lives beside the statuses."""

import datetime
import pathlib

import pytest
from django.conf import settings
from django.utils import timezone

from initiatives import activity, workflow
from initiatives.models import Initiative, InitiativeEvent
from tests.factories import DepartmentHeadFactory
from tests.initiatives.helpers import Stage, Status, initiative_data, url

pytestmark = pytest.mark.django_db


def test_every_sentence_of_the_activation_rule_follows_commitments_to_activate(
    client, world, monkeypatch
):
    monkeypatch.setattr(workflow, "COMMITMENTS_TO_ACTIVATE", 3)
    since = timezone.now() - datetime.timedelta(seconds=1)

    client.force_login(world.people["staff_b"])
    form = client.get(url("initiative_create"))
    assert "von drei Partnern ihre Beteiligung zusagen." in form.text
    proposed = client.post(
        url("initiative_create"), initiative_data(world, "Dreierbündnis"), follow=True
    )
    assert "Aktiv wird er, sobald drei Partner zusagen." in proposed.text
    assert "von drei Partnern zusagen." in proposed.text
    assert "zwei Partner" not in proposed.text

    participation = url("participation", world.proposal.pk)
    for head in (world.people["head_a"], world.people["head_b"]):
        client.force_login(head)
        response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
        assert "Die Initiative ist aktiv" not in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.PROPOSED

    client.force_login(DepartmentHeadFactory(partner=world.partner_c))
    response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
    assert "Drei Partner haben zugesagt: Die Initiative ist aktiv." in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.ACTIVE

    texts = [item.text for item in activity.activity(since=since, until=timezone.now())]
    assert "„Digitale Meldebescheinigung“ ist aktiv: drei Partner haben zugesagt." in texts


def test_the_timeline_label_of_activation_states_the_rule_in_force():
    """The event's label is a choice stored in the migrations, so it cannot be formatted at
    run time: this keeps it from drifting away from the rule."""
    words = workflow.commitments_to_activate_in_words()
    assert f"Aktiv: {words} Partner haben zugesagt" == InitiativeEvent.Kind.ACTIVATED.label


def test_comment_links_follow_the_comment_predicate(client, world):
    edit = url("comment_update", world.comment.pk)
    client.force_login(world.people["staff_a"])  # the author
    assert f'href="{edit}"' in client.get(url("initiative_detail", world.plain.pk)).text
    for other in ("staff_b", "head_a", "admin"):
        client.force_login(world.people[other])
        assert f'href="{edit}"' not in client.get(url("initiative_detail", world.plain.pk)).text
        assert client.get(edit).status_code == 403


RESTATED_RULES = [
    "author_id ==",  # initiatives.permissions.can_change_comment
    "is_staff or",  # partners.permissions.can_see_applications
    "user.is_department_head",  # partners.permissions.is_department_head_of_member
    "partner_id ==",  # can_change_solution, can_steer
    "lead_partner_id",
    "kern-badge--{% if",  # a status's badge: Initiative.status_badge
]


def test_no_template_restates_a_rule_that_has_a_predicate():
    templates = pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html")
    restated = [
        f"{template.relative_to(settings.BASE_DIR)}: {rule}"
        for template in templates
        for rule in RESTATED_RULES
        if rule in template.read_text()
    ]
    assert restated == []


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (Status.PROPOSED, "info"),
        (Status.ACTIVE, "success"),
        (Status.PAUSED, "warning"),
        (Status.COMPLETED, "info"),
        (Status.WITHDRAWN, "danger"),
    ],
)
def test_each_status_shows_its_badge(status, badge):
    assert Initiative(status=status).status_badge == badge


def test_the_pages_show_the_badge_of_the_status(client, world):
    client.force_login(world.people["staff_a"])
    detail = client.get(url("initiative_detail", world.active.pk))
    assert 'class="kern-badge kern-badge--success"' in detail.text
    listing = client.get(url("initiative_list"), {"status": Status.ACTIVE})
    assert 'class="kern-badge kern-badge--success"' in listing.text
    assert 'class="kern-badge kern-badge--info"><span class="kern-label">Vorschlag' not in (
        listing.text
    )


@pytest.mark.parametrize("status", list(Status))
def test_only_a_withdrawn_initiative_refuses_comments(status):
    assert Initiative(status=status).accepts_comments is (status != Status.WITHDRAWN)


def test_a_withdrawn_initiative_offers_no_comment_form(client, world):
    client.force_login(world.people["staff_a"])
    client.post(url("initiative_withdraw", world.proposal.pk))
    detail = client.get(url("initiative_detail", world.proposal.pk))
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.WITHDRAWN
    assert url("comment_create", world.proposal.pk) not in detail.text
    assert url("comment_create", world.plain.pk) in (
        client.get(url("initiative_detail", world.plain.pk)).text
    )
