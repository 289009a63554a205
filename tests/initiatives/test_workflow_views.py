"""Proposing, editing and withdrawing, deciding and participating, following and discussing,
through the client."""

import datetime

import pytest
from django.utils import timezone

from initiatives.models import (
    Comment,
    Initiative,
    InitiativeEvent,
)
from tests.initiatives.helpers import (
    Stage,
    Status,
    initiative_data,
    url,
)

pytestmark = pytest.mark.django_db


# Propose, edit, withdraw


def test_propose_leads_to_the_detail_with_the_proposers_partner_as_lead(client, world):
    client.force_login(world.people["staff_b"])
    data = {
        **initiative_data(world, "Gemeinsame E-Rechnung"),
        "ozg_reference": "99107004000000",
        "target_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    response = client.post(url("initiative_create"), data)
    initiative = Initiative.objects.get(title="Gemeinsame E-Rechnung")
    assert response.status_code == 302
    assert response["Location"] == url("initiative_detail", initiative.pk)
    assert initiative.lead_partner == world.partner_b
    assert initiative.proposer == world.people["staff_b"]
    assert initiative.status == Status.PROPOSED
    assert list(initiative.participations.values_list("partner", "stage")) == [
        (world.partner_b.pk, Stage.INTERESTED)
    ]
    detail = client.get(response["Location"])
    assert "Ihr Vorschlag ist gespeichert. Aktiv wird er, sobald zwei Partner zusagen." in (
        detail.text
    )
    assert "Gemeinsame E-Rechnung" in detail.text
    assert detail.context["is_following"]


def test_propose_with_a_past_target_date_is_refused(client, world):
    client.force_login(world.people["staff_b"])
    data = {**initiative_data(world, "Zu spät"), "target_date": "2001-01-01"}
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 200
    assert "Das Zieldatum liegt in der Vergangenheit." in response.text
    assert not Initiative.objects.filter(title="Zu spät").exists()


def test_proposer_edits_then_cannot_once_active(client, world):
    client.force_login(world.people["staff_a"])
    form = client.get(url("initiative_update", world.proposal.pk))
    assert 'value="Digitale Meldebescheinigung"' in form.text
    response = client.post(
        url("initiative_update", world.proposal.pk),
        initiative_data(world, "Meldebescheinigung online"),
        follow=True,
    )
    assert "Ihre Änderungen sind gespeichert." in response.text
    assert "Vorschlag bearbeitet" in response.text  # the timeline
    assert Initiative.objects.get(pk=world.proposal.pk).title == "Meldebescheinigung online"

    # The active initiative's proposer edits no more.
    client.force_login(world.people["head_a"])
    assert client.get(url("initiative_update", world.active.pk)).status_code == 403
    response = client.post(
        url("initiative_update", world.active.pk), initiative_data(world, "Übernommen")
    )
    assert response.status_code == 403
    assert Initiative.objects.get(pk=world.active.pk).title == "Gemeinsames Servicekonto"


def test_proposer_withdraws_and_the_discussion_ends(client, world):
    client.force_login(world.people["staff_a"])
    confirm = client.get(url("initiative_withdraw", world.proposal.pk))
    assert "Möchten Sie „Digitale Meldebescheinigung“ zurückziehen?" in confirm.text
    response = client.post(url("initiative_withdraw", world.proposal.pk), follow=True)
    assert "Der Vorschlag ist zurückgezogen." in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.WITHDRAWN
    assert "Kommentar veröffentlichen" not in response.text
    # Once withdrawn, neither editing nor withdrawing again.
    assert client.get(url("initiative_withdraw", world.proposal.pk)).status_code == 403
    comment = client.post(url("comment_create", world.proposal.pk), {"body": "Schade."})
    assert comment.status_code == 400
    assert "Eine zurückgezogene Initiative wird nicht mehr diskutiert." in comment.text
    assert not Comment.objects.filter(body="Schade.").exists()


# Decide and participate


def test_two_department_heads_commit_and_the_proposal_becomes_active(client, world):
    participation = url("participation", world.proposal.pk)
    client.force_login(world.people["head_b"])
    response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
    assert "Für Stadt Behausen gilt jetzt: Zugesagt." in response.text
    assert "Die Initiative ist aktiv" not in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.PROPOSED

    client.force_login(world.people["head_a"])
    response = client.post(participation, {"stage": Stage.COMMITTED}, follow=True)
    assert response.redirect_chain[-1][0] == url("initiative_detail", world.proposal.pk)
    assert "Für Stadt Aheim gilt jetzt: Zugesagt." in response.text
    assert "Zwei Partner haben zugesagt: Die Initiative ist aktiv." in response.text
    assert Initiative.objects.get(pk=world.proposal.pk).status == Status.ACTIVE
    stages = dict(world.proposal.participations.values_list("partner__slug", "stage"))
    assert stages == {"aheim": Stage.COMMITTED, "behausen": Stage.COMMITTED}
    assert world.proposal.events.filter(kind=InitiativeEvent.Kind.ACTIVATED).count() == 1
    assert "Aktiv: zwei Partner haben zugesagt" in response.text  # the timeline


def test_staff_declares_interest(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(
        url("participation", world.plain.pk), {"stage": Stage.INTERESTED}, follow=True
    )
    assert "Für Stadt Behausen gilt jetzt: Interessiert." in response.text
    assert world.plain.participations.get(partner=world.partner_b).stage == Stage.INTERESTED
    assert response.context["is_following"]


def test_impossible_stage_changes_are_explained(client, world):
    client.force_login(world.people["head_b"])
    response = client.post(url("participation", world.plain.pk), {"stage": "bogus"}, follow=True)
    assert "Diese Stufe der Beteiligung gibt es nicht." in response.text
    # Adopting needs an active initiative.
    response = client.post(
        url("participation", world.plain.pk), {"stage": Stage.ADOPTED}, follow=True
    )
    assert "ist „Nachgenutzt“ nicht möglich" in response.text
    assert not world.plain.participations.filter(partner=world.partner_b).exists()


def test_lead_head_pauses_resumes_and_completes(client, world):
    status = url("initiative_status", world.active.pk)
    client.force_login(world.people["head_a"])
    response = client.post(status, {"status": Status.PAUSED}, follow=True)
    assert "Die Initiative ist jetzt „Pausiert“." in response.text
    response = client.post(status, {"status": Status.ACTIVE}, follow=True)
    assert "Die Initiative ist jetzt „Aktiv“." in response.text
    response = client.post(status, {"status": Status.COMPLETED}, follow=True)
    assert "Die Initiative ist jetzt „Abgeschlossen“." in response.text
    assert Initiative.objects.get(pk=world.active.pk).status == Status.COMPLETED
    kinds = list(world.active.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["paused", "resumed", "completed"]
    # Completed is final.
    response = client.post(status, {"status": Status.ACTIVE}, follow=True)
    assert "kann nicht „Aktiv“ werden" in response.text
    assert Initiative.objects.get(pk=world.active.pk).status == Status.COMPLETED
    response = client.post(status, {"status": Status.WITHDRAWN}, follow=True)
    assert "Diese Statusänderung gibt es nicht." in response.text


# Follow


def test_follow_and_unfollow_toggle_the_count(client, world):
    detail = url("initiative_detail", world.plain.pk)
    client.force_login(world.people["staff_b"])

    def count():
        page = client.get(detail)
        return page.context["follower_count"], page.context["is_following"]

    assert count() == (1, False)  # the proposer
    response = client.post(url("follow", world.plain.pk), {"follow": "1"}, follow=True)
    assert "Sie folgen dieser Initiative." in response.text
    assert (
        '<dd class="kern-description-list-item__value" data-testid="follower-count">2 Personen'
        in (response.text)
    )
    assert "Nicht mehr folgen" in response.text
    assert count() == (2, True)
    client.post(url("follow", world.plain.pk), {"follow": "1"})  # twice is once
    assert count() == (2, True)
    response = client.post(url("follow", world.plain.pk), {"follow": "0"}, follow=True)
    assert "Sie folgen dieser Initiative nicht mehr." in response.text
    assert 'data-testid="follower-count">1 Person<' in response.text
    assert count() == (1, False)
    response = client.post(url("follow", world.plain.pk), {"follow": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“." in response.text
    assert count() == (1, False)


# Discuss


def test_comment_is_published_and_linked(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": "Wir **auch**."})
    comment = Comment.objects.get(body="Wir **auch**.")
    assert response["Location"] == url("initiative_detail", world.plain.pk) + (
        f"?kommentare=1#kommentar-{comment.pk}"
    )
    assert comment.author == world.people["staff_b"]
    assert comment.partner == world.partner_b
    detail = client.get(response["Location"])
    assert "Ihr Kommentar ist veröffentlicht." in detail.text
    assert "Wir <strong>auch</strong>." in detail.text
    assert "2 Kommentare" in detail.text


def test_empty_comment_is_refused_with_a_400(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert "Offene Daten veröffentlichen" in response.text  # the detail page again
    assert Comment.objects.filter(initiative=world.plain).count() == 1


def test_too_long_comment_keeps_what_was_typed(client, world):
    client.force_login(world.people["staff_b"])
    text = "Ein sehr langer Beitrag. " * 201  # 5,025 characters
    response = client.post(url("comment_create", world.plain.pk), {"body": text})
    assert response.status_code == 400
    assert "höchstens 5000 Zeichen" in response.text
    assert text.strip() in response.text  # nothing typed is lost
    assert Comment.objects.filter(initiative=world.plain).count() == 1


def test_a_refused_comment_shows_the_same_detail_page_with_the_form_as_sent(client, world):
    client.force_login(world.people["head_b"])
    detail = client.get(url("initiative_detail", world.proposal.pk))
    refused = client.post(url("comment_create", world.proposal.pk), {"body": ""})
    assert refused.status_code == 400
    assert refused.context["comment_form"].errors
    shared = set(detail.context.keys()) & set(refused.context.keys())
    for name in [
        "initiative",
        "participations",
        "own_participation",
        "stage_actions",
        "status_actions",
        "can_edit",
        "comment_count",
        "can_comment",
        "follower_count",
        "is_following",
    ]:
        assert name in shared
        assert refused.context[name] == detail.context[name]
    assert "Beteiligung zusagen" in refused.text


def test_author_edits_and_deletes_a_comment(client, world):
    detail = url("initiative_detail", world.plain.pk)
    client.force_login(world.people["staff_a"])
    assert ">bearbeitet</span>" not in client.get(detail).text
    form = client.get(url("comment_update", world.comment.pk))
    assert "Wir sind dabei." in form.text
    response = client.post(
        url("comment_update", world.comment.pk), {"body": "Wir sind ab März dabei."}
    )
    assert response["Location"] == detail + f"?kommentare=1#kommentar-{world.comment.pk}"
    page = client.get(detail)
    assert "Ihr Kommentar ist geändert." in page.text
    assert "Wir sind ab März dabei." in page.text
    assert ">bearbeitet</span>" in page.text
    assert Comment.objects.get(pk=world.comment.pk).edited_at is not None

    empty = client.post(url("comment_update", world.comment.pk), {"body": ""})
    assert empty.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in empty.text
    assert Comment.objects.get(pk=world.comment.pk).body == "Wir sind ab März dabei."

    confirm = client.get(url("comment_delete", world.comment.pk))
    assert "Möchten Sie Ihren Kommentar zu „Offene Daten veröffentlichen“ löschen?" in confirm.text
    response = client.post(url("comment_delete", world.comment.pk), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "Ihr Kommentar ist gelöscht." in response.text
    assert "Noch keine Kommentare." in response.text
    assert not Comment.objects.filter(pk=world.comment.pk).exists()


def test_the_edit_and_delete_links_are_only_the_authors(client, world):
    detail = url("initiative_detail", world.plain.pk)
    edit = url("comment_update", world.comment.pk)
    client.force_login(world.people["staff_a"])
    assert edit in client.get(detail).text
    client.force_login(world.people["head_a"])  # same partner, another person
    assert edit not in client.get(detail).text


def test_a_comment_shows_its_dates_in_berlin_time_with_german_month_names(client, world):
    # 23:30 UTC on the last day of a summer month is 01:30 the next day in Berlin (CEST).
    written = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    edited = datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC)  # CET: 09:05
    Comment.objects.filter(pk=world.comment.pk).update(created_at=written, edited_at=edited)
    client.force_login(world.people["staff_b"])
    page = client.get(url("initiative_detail", world.plain.pk)).text
    assert f'<li id="kommentar-{world.comment.pk}" class="portal-comment">' in page
    assert '<time datetime="2026-07-01T01:30:00+02:00">1. Juli 2026, 01:30</time>' in page
    assert '<span title="1. Dezember 2026, 09:05">bearbeitet</span>' in page
    assert "Bearbeiten" not in page  # another's comment: no links to change it
