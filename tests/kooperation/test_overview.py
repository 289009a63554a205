"""Mein Überblick: what it shows is what the digest would show the same person for the same
window (same sources, same rules, filtered in SQL instead of Python), within a fixed number of
queries; the last visit, unread comments and deciding in place."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiatives import discussion
from initiatives import services as initiative_services
from initiatives.models import Participation
from kooperation import activity, services
from kooperation.digest import content
from kooperation.models import Frequency, OverviewState
from kooperation.overview import reader_of
from partners import services as partner_services
from partners.activity import Activity, Section
from partners.models import Partner, Vote
from positions import selectors as position_selectors
from positions import services as position_services
from positions.discussion import POSITIONS
from positions.models import Position
from tests.factories import (
    AdminFactory,
    AgreementVersionFactory,
    UserFactory,
    draft_position,
    propose,
)
from tests.kooperation.digests import apply_to_join, digest_of, set_frequency

APPLIED = "Stadt Wolfenbüttel hat den Beitritt zur Kooperation beantragt."
REFUSED = "Der Beitrittsantrag von Spam GmbH ist abgelehnt."


def a_week_of_everything(coop):
    """Something of every kind, at both partners, by several people."""
    followed = propose(coop.staff_b, coop.basis, title="Wohngeld digital")
    ours = propose(coop.staff_a, coop.online, title="Kita-Portal")
    propose(coop.head_b, coop.online, title="Online-Dienst Hundesteuer")
    initiative_services.participation_set(
        initiative=ours, actor=coop.head_b, stage=Participation.Stage.COMMITTED
    )
    initiative_services.participation_set(
        initiative=followed, actor=coop.head_a, stage=Participation.Stage.COMMITTED
    )
    for person in (coop.staff_a, coop.head_a):
        initiative_services.follow(initiative=followed, user=person)
    initiative_services.comment_add(initiative=followed, author=coop.staff_b, body="Gern!")
    initiative_services.comment_add(initiative=followed, author=coop.staff_a, body="Danke.")
    initiative_services.comment_add(initiative=ours, author=coop.staff_b, body="Nicht gefolgt.")
    for person, product in ((coop.staff_a, "ePayBL"), (coop.staff_b, "ePayBL")):
        initiative_services.solution_record(recorded_by=person, area=coop.basis, product=product)
    initiative_services.solution_record(recorded_by=coop.staff_b, area=coop.basis, product="XBau")
    refused = apply_to_join("Spam GmbH", "03151009")
    apply_to_join("Stadt Wolfenbüttel", "03158037")
    partner_services.application_vote(application=refused, voter=coop.head_b, approve=False)
    AgreementVersionFactory(title="Fassung 2027", status="in_force", in_force_at=timezone.now())


def digest_news(person):
    frequency = Frequency.DAILY if person.is_department_head else Frequency.WEEKLY
    built = digest_of(person, frequency)
    shown = [
        (item.text, item.path)
        for key, items, _total in built.sections
        if key != Section.WAITING
        for item in items
    ]
    return built, shown


@pytest.mark.parametrize("who", ["staff_a", "head_a", "staff_b", "head_b", "office"])
def test_the_overview_shows_exactly_what_the_digest_would_for_the_same_window(coop, who):
    a_week_of_everything(coop)
    person = AdminFactory() if who == "office" else getattr(coop, who)
    if who == "staff_a":
        set_frequency(person, Frequency.WEEKLY, areas=[coop.basis])  # chosen fields count

    built, expected = digest_news(person)
    newest = activity.newest_for(reader_of(person), built.since, built.until, limit=100)

    assert expected  # everyone has news in this week
    assert sorted((item.text, item.path) for item in newest.items) == sorted(expected)
    assert newest.total == built.news
    assert [item.at for item in newest.items] == sorted(
        (item.at for item in newest.items), reverse=True
    )


def test_applications_and_refusals_only_for_department_heads_and_the_office(coop, client):
    a_week_of_everything(coop)
    seen = {}
    for name, person in [
        ("staff", coop.staff_a),
        ("head", coop.head_a),
        ("office", AdminFactory()),
    ]:
        client.force_login(person)
        seen[name] = client.get(reverse("home")).text + client.get(reverse("activity")).text
    assert APPLIED not in seen["staff"]
    assert REFUSED not in seen["staff"]
    for name in ("head", "office"):
        assert APPLIED in seen[name]
        assert REFUSED in seen[name]
    assert "„Fassung 2027“ ist in Kraft" in seen["staff"]


def test_the_overview_page_lists_the_news_the_digest_has(coop, client):
    a_week_of_everything(coop)
    _built, expected = digest_news(coop.head_a)
    client.force_login(coop.head_a)

    response = client.get(reverse("home"))

    assert "Mein Überblick" in response.text
    assert [item.text for day in response.context["overview"].days for item in day.items] == [
        item.text for item in response.context["overview"].news.items
    ]
    for text, _path in expected:
        assert text in response.content.decode()


def test_what_waits_for_a_department_head_can_be_decided_from_the_overview(coop, client):
    waiting = propose(coop.staff_b, coop.basis, title="Offen für Adorf")
    application = apply_to_join("Gemeinde Cedorf", "03151009")
    client.force_login(coop.head_a)

    page = client.get(reverse("home")).text
    assert "Beitrittsantrag von Gemeinde Cedorf: Ihre Stimme fehlt noch." in page
    assert "„Offen für Adorf“ (Stadt Bedorf): Ihre Zusage oder Absage fehlt noch." in page
    vote = reverse("partners:application_vote", args=[application.pk])
    assert f'action="{vote}"' in page

    response = client.post(vote, {"approve": "yes", "next": "/"})
    assert response.url == "/"
    assert Vote.objects.filter(application=application, partner=coop.a, approve=True).exists()
    participation = reverse("initiatives:participation", args=[waiting.pk])
    response = client.post(participation, {"stage": "committed", "next": "/"})
    assert response.url == "/"

    page = client.get(reverse("home")).text
    assert "Ihre Stimme fehlt noch" not in page
    assert "Offen für Adorf“ (Stadt" not in page
    assert "im Moment wartet nichts auf Sie" in page


def test_a_foreign_next_address_is_not_followed(coop, client):
    application = apply_to_join("Gemeinde Cedorf", "03151009")
    client.force_login(coop.head_a)
    vote = reverse("partners:application_vote", args=[application.pk])
    response = client.post(vote, {"approve": "yes", "next": "https://evil.example/"})
    assert response.url == reverse("partners:application_detail", args=[application.pk])


def test_staff_see_their_own_proposals_waiting_for_commitments(coop, client):
    propose(coop.staff_a, coop.basis, title="Mein Vorschlag")
    client.force_login(coop.staff_a)
    page = client.get(reverse("home")).text
    assert "Ihre Vorschläge warten auf Zusagen" in page
    assert "Mein Vorschlag" in page


def test_the_office_sees_open_applications_versions_in_signature_and_failed_emails(db, client):
    from outbox.models import EmailJob

    apply_to_join("Gemeinde Cedorf", "03151009")
    AgreementVersionFactory(title="Fassung zur Unterschrift", status="in_signature")
    EmailJob.objects.create(kind="test", subject="x", body="x", status=EmailJob.Status.FAILED)
    client.force_login(AdminFactory())
    page = client.get(reverse("home")).text
    assert "Gemeinde Cedorf" in page
    assert "Fassung zur Unterschrift" in page
    assert "1 E-Mail ist gescheitert." in page


def test_a_comment_of_another_partner_is_unread_until_the_initiative_is_opened(coop, client):
    initiative = propose(coop.staff_a, coop.basis, title="Gefolgt")
    initiative_services.comment_add(initiative=initiative, author=coop.staff_b, body="Neu!")
    initiative_services.comment_add(initiative=initiative, author=coop.staff_a, body="Selbst.")
    client.force_login(coop.staff_a)

    assert "1 neuer Kommentar" in client.get(reverse("home")).text
    client.get(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    assert "neuer Kommentar" not in client.get(reverse("home")).text


def followed_items(page: str) -> str:
    return page.split('data-testid="followed"', 1)[1]


def test_followed_positions_are_listed_with_their_last_step_newest_activity_first(coop, client):
    initiative = propose(coop.staff_b, coop.basis, title="Wohngeld digital")
    initiative_services.follow(initiative=initiative, user=coop.staff_a)
    position = draft_position(coop.staff_b, title="Stellungnahme zum Onlinezugangsgesetz")
    discussion.follow_all(POSITIONS, position, [coop.staff_a])
    position_services.position_open(
        position=position, actor=coop.head_b, deadline=timezone.localdate() + timedelta(days=14)
    )

    client.force_login(coop.staff_a)
    followed = followed_items(client.get(reverse("home")).text)
    assert "Position:" in followed
    assert "Stellungnahme zum Onlinezugangsgesetz" in followed
    assert "zuletzt: Zur Mitzeichnung geöffnet" in followed
    assert followed.index("Onlinezugangsgesetz") < followed.index("Wohngeld digital")

    client.force_login(coop.head_a)  # follows neither
    followed = followed_items(client.get(reverse("home")).text)
    assert "Onlinezugangsgesetz" not in followed
    assert "Sie folgen noch keiner Initiative und keiner Position." in followed


def test_a_followed_position_is_listed_only_while_the_person_may_read_it(coop):
    unpublished = draft_position(coop.staff_b, title="Entwurf unter Partnern")
    published = draft_position(coop.staff_b, title="Veröffentlichte Stellungnahme")
    Position.objects.filter(pk=published.pk).update(is_published=True)
    discussion.follow_all(POSITIONS, unpublished, [coop.staff_a])
    discussion.follow_all(POSITIONS, published, [coop.staff_a])

    titles = {p.title for p in position_selectors.followed(coop.staff_a)}
    assert titles == {"Entwurf unter Partnern", "Veröffentlichte Stellungnahme"}
    # Her partner leaves the cooperation: she keeps her account, and reads as a visitor.
    Partner.objects.filter(pk=coop.a.pk).update(status=Partner.Status.FORMER)
    coop.staff_a.refresh_from_db()
    coop.staff_a.partner.refresh_from_db()
    titles = {p.title for p in position_selectors.followed(coop.staff_a)}
    assert titles == {"Veröffentlichte Stellungnahme"}


def test_the_last_visit_moves_only_after_a_pause_and_is_written_at_most_every_few_minutes(db):
    person = UserFactory()
    start = timezone.now()
    assert services.overview_visit(user=person, now=start) is None  # the first visit
    # Within the same visit the start of "new" stays; the time seen is written rarely.
    assert services.overview_visit(user=person, now=start + timedelta(minutes=2)) is None
    assert OverviewState.objects.get(user=person).seen_at == start
    assert services.overview_visit(user=person, now=start + timedelta(minutes=10)) is None
    later = start + timedelta(minutes=10)
    assert OverviewState.objects.get(user=person).seen_at == later
    # After a pause, a new visit: what is newer than the end of the last one is new.
    next_visit = later + services.VISIT_GAP
    assert services.overview_visit(user=person, now=next_visit) == later
    assert services.overview_visit(user=person, now=next_visit + timedelta(minutes=6)) == later


def test_news_since_the_last_visit_are_marked_new(coop, client):
    client.force_login(coop.staff_a)
    client.get(reverse("home"))
    OverviewState.objects.filter(user=coop.staff_a).update(
        seen_at=timezone.now() - timedelta(hours=2)
    )
    propose(coop.staff_b, coop.basis, title="Ganz neu")

    response = client.get(reverse("home"))

    assert "Stadt Bedorf schlägt „Ganz neu“ vor." in response.text
    assert response.text.count('data-testid="new-marker"') == 1


def a_source_with_only_activity(*, since, until):
    return [Activity(section=Section.COOPERATION, at=until, text="Von außen.", path="/x/")]


def test_a_source_that_offers_only_its_window_is_filtered_by_the_same_rules(coop, monkeypatch):
    monkeypatch.setattr(activity, "SOURCES", [activity.Source(a_source_with_only_activity)])
    now = timezone.now()
    newest = activity.newest_for(reader_of(coop.staff_a), now - timedelta(days=1), now, limit=5)
    assert [item.text for item in newest.items] == ["Von außen."]
    assert content.read_news(now - timedelta(days=1), now)[0].text == "Von außen."
    narrowed = reader_of(coop.staff_a, partner=coop.b.pk)
    assert activity.newest_for(narrowed, now - timedelta(days=1), now, limit=5).total == 0


def many_rows(coop):
    for number in range(30):
        initiative = propose(coop.staff_b, coop.basis, title=f"Vorschlag {number}")
        initiative_services.follow(initiative=initiative, user=coop.staff_a)
        initiative_services.follow(initiative=initiative, user=coop.head_a)
        initiative_services.comment_add(initiative=initiative, author=coop.staff_b, body="Ja.")
    for number in range(12):
        position = draft_position(coop.staff_b, title=f"Position {number}")
        discussion.follow_all(POSITIONS, position, [coop.staff_a, coop.head_a])
    for number in range(12):
        apply_to_join(f"Gemeinde Nummer{number}", f"03154{number + 1:03d}")  # Kreis Helmstedt


@pytest.mark.parametrize("who", ["staff_a", "head_a", "office"])
def test_the_overview_runs_at_most_15_queries_whatever_the_rows(coop, client, who):
    person = AdminFactory() if who == "office" else getattr(coop, who)
    client.force_login(person)

    def queries(*, visit_written: bool) -> int:
        client.get(reverse("home"))
        if visit_written:  # the visit is written again (at most every few minutes)
            OverviewState.objects.filter(user=person).update(
                seen_at=timezone.now() - timedelta(hours=1)
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    few = queries(visit_written=True)
    many_rows(coop)
    assert queries(visit_written=True) == few
    assert few <= 15
    assert queries(visit_written=False) == few - 1


def test_one_heads_waiting_proposals_are_those_a_batch_of_heads_finds(coop):
    from initiatives import activity as initiative_activity

    proposals = [propose(coop.staff_b, coop.basis, title=f"Offen {n:02d}") for n in range(14)]
    for initiative, stage in ((proposals[0], "committed"), (proposals[3], "declined")):
        initiative_services.participation_set(initiative=initiative, actor=coop.head_a, stage=stage)

    alone = initiative_activity.awaiting_commitment({coop.a.pk}, limit=10)[coop.a.pk]
    batch = initiative_activity.awaiting_commitment({coop.a.pk, coop.b.pk}, limit=10)[coop.a.pk]

    assert [item.text for item in alone[0]] == [item.text for item in batch[0]]
    assert alone[1] == batch[1] == 12
    assert "Offen 00" not in alone[0][0].text
