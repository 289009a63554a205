"""What is in a digest: the other partners' news in the recipient's window, filtered by
their fields of work and follows, and what awaits a department head's decision."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import activity as initiative_activity
from initiatives import discussion
from initiatives import services as initiative_services
from initiatives.models import Participation
from kooperation import digest
from kooperation.digest import content
from kooperation.models import DigestDelivery, Frequency
from partners import services as partner_services
from partners.models import Partner
from positions import services as position_services
from positions.discussion import POSITIONS
from tests.factories import (
    AdminFactory,
    AgreementVersionFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    draft_position,
    propose,
)
from tests.kooperation.digests import (
    apply_to_join,
    delivered,
    digest_of,
    set_frequency,
    texts,
)


def test_the_others_proposals_and_commitments_appear_and_ones_own_do_not(coop):
    propose(coop.staff_b, coop.basis, title="Wohngeld digital")
    ours = propose(coop.staff_a, coop.basis, title="Kita-Portal")
    initiative_services.participation_set(
        initiative=ours, actor=coop.head_b, stage=Participation.Stage.COMMITTED
    )

    staff_a = texts(digest_of(coop.staff_a))
    assert "Stadt Bedorf schlägt „Wohngeld digital“ vor." in staff_a
    assert "Stadt Bedorf beteiligt sich an „Kita-Portal“." in staff_a
    assert not any("Kita-Portal“ vor" in text for text in staff_a)  # their own partner's

    staff_b = texts(digest_of(coop.staff_b))
    assert "Stadt Adorf schlägt „Kita-Portal“ vor." in staff_b
    assert not any("Wohngeld" in text for text in staff_b)


def test_ones_own_steps_stay_out_even_after_moving_to_another_partner(coop):
    propose(coop.staff_b, coop.basis, title="Vorschlag aus Bedorf")
    propose(coop.head_b, coop.basis, title="Vorschlag der Dezernentin")
    coop.staff_b.partner = coop.a
    coop.staff_b.save(update_fields=["partner"])

    seen = texts(digest_of(coop.staff_b), "initiatives")
    assert seen == ["Stadt Bedorf schlägt „Vorschlag der Dezernentin“ vor."]
    assert len(texts(digest_of(coop.staff_a), "initiatives")) == 2


def test_a_long_section_shows_the_ten_newest_and_says_how_many_there_are(coop):
    for number in range(12):
        propose(coop.staff_b, coop.basis, title=f"Vorschlag {number:02d}")
    propose(coop.staff_a, coop.basis, title="Eigener Vorschlag")

    built = digest_of(coop.staff_a)
    [(section, shown, total)] = built.sections
    assert (section, total, built.news) == ("initiatives", 12, 12)
    assert [item.text for item in shown] == [
        f"Stadt Bedorf schlägt „Vorschlag {number:02d}“ vor." for number in range(2, 12)
    ]
    email = digest.message(built, Frequency.WEEKLY)
    assert "insgesamt 12 Einträge" in email.body
    assert "Vorschlag 01" not in email.body
    assert "Insgesamt 12 Einträge" in email.alternatives[0][0]


def test_activation_pause_and_completion_reach_the_others(coop):
    initiative = propose(coop.staff_a, coop.basis, title="BundID-Anbindung")
    for head in (coop.head_a, coop.head_b):
        initiative_services.participation_set(
            initiative=initiative, actor=head, stage=Participation.Stage.COMMITTED
        )
    for status in ("paused", "active", "completed"):
        initiative_services.initiative_change_status(
            initiative=initiative, actor=coop.head_a, status=status
        )

    staff_b = texts(digest_of(coop.staff_b, Frequency.WEEKLY), "initiatives")
    assert "„BundID-Anbindung“ ist aktiv: zwei Partner haben zugesagt." in staff_b
    assert "Stadt Adorf hat „BundID-Anbindung“ pausiert." in staff_b
    assert "Stadt Adorf hat „BundID-Anbindung“ fortgesetzt." in staff_b
    assert "Stadt Adorf hat „BundID-Anbindung“ abgeschlossen." in staff_b
    # The lead's own staff hear that it became active (the others made it so), not of their
    # own head's steps.
    staff_a = texts(digest_of(coop.staff_a), "initiatives")
    assert staff_a == [
        "Stadt Bedorf beteiligt sich an „BundID-Anbindung“.",
        "„BundID-Anbindung“ ist aktiv: zwei Partner haben zugesagt.",
    ]


def test_comments_appear_only_on_followed_initiatives_and_never_ones_own(coop):
    followed = propose(coop.staff_a, coop.basis, title="Gefolgt")
    other = propose(coop.staff_a, coop.basis, title="Nicht gefolgt")
    initiative_services.unfollow(initiative=other, user=coop.staff_a)
    theirs = initiative_services.comment_add(initiative=followed, author=coop.staff_b, body="Gern!")
    initiative_services.comment_add(initiative=other, author=coop.staff_b, body="Auch hier.")
    initiative_services.comment_add(initiative=followed, author=coop.staff_a, body="Danke.")

    discussion = texts(digest_of(coop.staff_a), "discussion")
    assert discussion == ["Berta Bedorf (Stadt Bedorf) hat „Gefolgt“ kommentiert."]
    [link] = [item.path for _key, items, _t in digest_of(coop.staff_a).sections for item in items]
    assert link == f"/kommentare/{theirs.pk}/"  # leads to the comment's page and anchor


def test_new_solutions_appear_where_they_overlap_with_ones_own(coop):
    initiative_services.solution_record(
        recorded_by=coop.staff_a, area=coop.basis, product="ePayBL", vendor=""
    )
    initiative_services.solution_record(
        recorded_by=coop.staff_b, area=coop.basis, product="epaybl ", vendor="Verbund"
    )
    initiative_services.solution_record(
        recorded_by=coop.staff_b, area=coop.basis, product="enaio", vendor=""
    )
    initiative_services.solution_record(
        recorded_by=coop.staff_b, area=coop.online, product="ePayBL", vendor=""
    )

    assert texts(digest_of(coop.staff_a), "solutions") == [
        "Stadt Bedorf setzt im Arbeitsfeld Basisdienste „epaybl“ ein."
    ]


def test_chosen_fields_of_work_filter_what_has_one(coop):
    propose(coop.staff_b, coop.basis, title="Basis-Vorschlag")
    propose(coop.staff_b, coop.online, title="Online-Vorschlag")
    set_frequency(coop.staff_a, Frequency.WEEKLY, areas=[coop.online])

    assert texts(digest_of(coop.staff_a), "initiatives") == [
        "Stadt Bedorf schlägt „Online-Vorschlag“ vor."
    ]


def test_applications_reach_those_who_vote_and_admissions_everyone(coop):
    application = apply_to_join("Stadt Wolfenbüttel", "03158037")
    refused = apply_to_join("Spam GmbH", "03151009")
    AgreementVersionFactory(
        title="Kooperationsvereinbarung 2027", status="in_force", in_force_at=timezone.now()
    )
    partner_services.application_vote(application=refused, voter=coop.head_a, approve=False)
    for head in (coop.head_a, coop.head_b):
        partner_services.application_vote(application=application, voter=head, approve=True)
    admitted = Partner.objects.get(name="Stadt Wolfenbüttel")

    in_force = "„Kooperationsvereinbarung 2027“ ist in Kraft: alle Parteien haben unterzeichnet."
    office = digest_of(AdminFactory())
    assert texts(office, "cooperation") == [
        "Stadt Wolfenbüttel hat den Beitritt zur Kooperation beantragt.",
        "Spam GmbH hat den Beitritt zur Kooperation beantragt.",
        in_force,
        "Der Beitrittsantrag von Spam GmbH ist abgelehnt.",
        "Stadt Wolfenbüttel ist in die Kooperation aufgenommen.",
    ]
    # Staff may not see applications: who applied or was refused stays with the voters; the
    # admission is public and links to the new partner, not to the application.
    staff = digest_of(coop.staff_a)
    assert texts(staff, "cooperation") == [
        in_force,
        "Stadt Wolfenbüttel ist in die Kooperation aufgenommen.",
    ]
    [*_, admission] = [item for _key, items, _t in staff.sections for item in items]
    assert admission.path == f"/partner/{admitted.slug}/"
    head = texts(digest_of(coop.head_b, Frequency.DAILY), "cooperation")
    assert "Spam GmbH hat den Beitritt zur Kooperation beantragt." in head


def test_department_heads_first_see_what_awaits_their_decision(coop):
    waiting = propose(coop.staff_b, coop.basis, title="Offen für Adorf")
    decided = propose(coop.staff_b, coop.basis, title="Schon zugesagt")
    initiative_services.participation_set(
        initiative=decided, actor=coop.head_a, stage=Participation.Stage.COMMITTED
    )
    application = apply_to_join("Gemeinde Cedorf", "03151009")
    partner_services.application_vote(application=application, voter=coop.head_b, approve=True)

    built = digest_of(coop.head_a, Frequency.DAILY)
    assert built.sections[0][0] == "waiting"
    assert texts(built, "waiting") == [
        "Beitrittsantrag von Gemeinde Cedorf: Ihre Stimme fehlt noch.",
        "„Offen für Adorf“ (Stadt Bedorf): Ihre Zusage oder Absage fehlt noch.",
    ]
    assert built.waiting == 2
    assert digest.subject(built, Frequency.DAILY) == (
        f"2 Entscheidungen warten – Ihre tägliche Zusammenfassung: {built.news} Neuigkeiten"
    )
    # B has voted; B's own proposals still wait for B's commitment, as the lead must commit too.
    assert texts(digest_of(coop.head_b, Frequency.DAILY), "waiting") == [
        "„Offen für Adorf“ (Stadt Bedorf): Ihre Zusage oder Absage fehlt noch.",
        "„Schon zugesagt“ (Stadt Bedorf): Ihre Zusage oder Absage fehlt noch.",
    ]
    # Staff see no such section.
    assert texts(digest_of(coop.staff_a), "waiting") == []
    # A decision is owed whatever fields of work the head follows.
    set_frequency(coop.head_a, Frequency.DAILY, areas=[coop.online])
    assert digest_of(coop.head_a, Frequency.DAILY).waiting == 2
    assert waiting.title == "Offen für Adorf"


def test_a_withdrawal_is_reported_as_such_and_waits_for_no_vote(coop):
    withdrawn = apply_to_join("Gemeinde Cedorf", "03151009")
    partner_services.application_withdraw(application=withdrawn)
    never_confirmed = partner_services.application_submit(
        name="Gemeinde Dedorf",
        kind=Partner.Kind.GEMEINDE,
        official_key="03151010",
        website="",
        contact_name="Dora Dedorf",
        contact_email="kontakt@dedorf.example",
        motivation="Wir möchten mitmachen.",
    )
    partner_services.application_withdraw(application=never_confirmed)

    head = digest_of(coop.head_a, Frequency.DAILY)
    assert texts(head, "cooperation") == [
        "Gemeinde Cedorf hat den Beitritt zur Kooperation beantragt.",
        "Gemeinde Cedorf hat den Beitrittsantrag zurückgezogen.",
    ]
    assert texts(head, "waiting") == []
    assert texts(digest_of(coop.staff_a), "cooperation") == []  # for those who vote only


def test_no_vote_is_asked_for_a_municipality_that_is_a_member_by_now(coop):
    third = PartnerFactory(name="Stadt Cedorf")
    head_c = DepartmentHeadFactory(partner=third)
    decided = apply_to_join("Gemeinde Dedorf", "03151010")
    open_ = apply_to_join("Gemeinde Eedorf", "03151011")
    decided.admission_rule = open_.admission_rule = "majority"
    decided.save(update_fields=["admission_rule"])
    open_.save(update_fields=["admission_rule"])
    for head in (coop.head_a, coop.head_b):
        partner_services.application_vote(application=decided, voter=head, approve=True)
    decided.refresh_from_db()
    assert decided.status == "admitted"
    assert texts(digest_of(head_c, Frequency.DAILY), "waiting") == [
        "Beitrittsantrag von Gemeinde Eedorf: Ihre Stimme fehlt noch."
    ]
    # The office entered Eedorf as a partner meanwhile: nothing waits on its application.
    PartnerFactory(name="Gemeinde Eedorf", official_key="03151011")
    assert texts(digest_of(head_c, Frequency.DAILY), "waiting") == []


@pytest.fixture
def news_memo(settings):
    """The news memo on, as in production, and empty before and after the test."""
    settings.DIGEST_NEWS_MEMO_SECONDS = 600
    content.kept_news.cache_clear()
    yield
    content.kept_news.cache_clear()


@contextmanager
def clock_at(moment):
    """The worker process's clock (time.monotonic) standing at `moment`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content.time, "monotonic", lambda: moment)
        yield


def test_the_batches_of_a_run_read_the_news_of_their_window_once(
    coop, news_memo, django_assert_max_num_queries
):
    propose(coop.staff_b, coop.basis, title="Einmal gelesen")
    until = timezone.now()
    start = time.monotonic() // 600 * 600  # the start of a memo period
    with clock_at(start):
        first = digest.news_between(until - timedelta(days=7), until)
    assert [item for item in first if "Einmal gelesen" in item.text]
    propose(coop.staff_b, coop.basis, title="Später")
    with clock_at(start + 599), django_assert_max_num_queries(0):
        again = digest.news_between(until - timedelta(days=7), until)
    assert again is first
    # Another window is read anew; after the time, the same window too.
    with clock_at(start + 599):
        assert digest.news_between(until - timedelta(days=1), until) is not first
    with clock_at(start + 601):
        fresh = digest.news_between(until - timedelta(days=7), until)
    assert fresh is not first  # read again
    assert [item.text for item in fresh] == [item.text for item in first]


def test_the_news_memo_keeps_the_last_few_windows_only(coop, news_memo):
    propose(coop.staff_b, coop.basis, title="Einmal gelesen")
    until = timezone.now()
    windows = [
        (until - timedelta(days=days), until)
        for days in range(1, 2 * content.NEWS_MEMO_ENTRIES + 1)
    ]
    with clock_at(time.monotonic() // 600 * 600):
        first = digest.news_between(*windows[0])
        for window in windows[1 : content.NEWS_MEMO_ENTRIES]:
            digest.news_between(*window)
        assert digest.news_between(*windows[0]) is first  # still among the last few
        for window in windows[content.NEWS_MEMO_ENTRIES :]:
            digest.news_between(*window)
        assert digest.news_between(*windows[0]) is not first  # forgotten, read again


def test_many_waiting_decisions_show_the_oldest_ten_and_the_number(coop):
    for number in range(12):
        propose(coop.staff_b, coop.basis, title=f"Offen {number:02d}")
    apply_to_join("Gemeinde Cedorf", "03151009")
    built = digest_of(coop.head_a, Frequency.DAILY)
    shown = texts(built, "waiting")
    assert built.waiting == 13
    assert len(shown) == 10
    assert shown[0] == "Beitrittsantrag von Gemeinde Cedorf: Ihre Stimme fehlt noch."
    assert shown[1].startswith("„Offen 00“")
    assert shown[-1].startswith("„Offen 08“")


def test_each_head_waits_on_its_own_oldest_undecided_proposals(coop):
    # A has decided on the three oldest; B on none: A's ten reach further back in the list.
    proposals = [propose(coop.staff_b, coop.basis, title=f"Offen {n:02d}") for n in range(15)]
    for proposal in proposals[:3]:
        initiative_services.participation_set(
            initiative=proposal, actor=coop.head_a, stage=Participation.Stage.DECLINED
        )
    waiting = initiative_activity.awaiting_commitment({coop.a.pk, coop.b.pk}, limit=10)
    titles = {
        partner: ([item.text[1:9] for item in shown], total)
        for partner, (shown, total) in waiting.items()
    }
    assert titles[coop.a.pk] == ([f"Offen {n:02d}" for n in range(3, 13)], 12)
    assert titles[coop.b.pk] == ([f"Offen {n:02d}" for n in range(10)], 15)
    # The same proposal is one item for both heads' digests (its line is rendered once).
    assert waiting[coop.a.pk][0][0] is waiting[coop.b.pk][0][3]


def test_what_waits_alone_is_no_reason_for_an_email(coop):
    propose(coop.staff_b, coop.basis, title="Lange offen")
    delivered(coop.head_a, Frequency.DAILY, "2026-11-25", until=timezone.now())
    built = digest_of(coop.head_a, Frequency.DAILY)
    assert (built.waiting, built.news) == (1, 0)
    result = digest.deliver(
        frequency=Frequency.DAILY,
        period="2026-11-26",
        until=timezone.now(),
        recipient_ids=[coop.head_a.pk],
        owner="test",
    )
    assert (result["sent"], result["empty"]) == (0, 1)
    assert mail.outbox == []


def test_a_digest_reaches_back_to_the_last_one_not_further(coop):
    propose(coop.staff_b, coop.basis, title="Vor der letzten Zusammenfassung")
    delivered(coop.staff_a, Frequency.WEEKLY, "2026-W01", until=timezone.now())
    propose(coop.staff_b, coop.basis, title="Danach")
    later = timezone.now() + timedelta(seconds=1)
    assert texts(digest_of(coop.staff_a, until=later)) == ["Stadt Bedorf schlägt „Danach“ vor."]


def test_building_a_batch_costs_the_same_queries_for_7_or_30_recipients(coop):
    for number in range(6):
        initiative = propose(coop.staff_b, coop.basis, title=f"Vorschlag {number}")
        initiative_services.comment_add(initiative=initiative, author=coop.head_b, body="Ja.")
        initiative_services.solution_record(
            recorded_by=coop.staff_b, area=coop.basis, product=f"Produkt {number}", vendor=""
        )
    position = draft_position(coop.staff_b, title="Gemeinsame Stellungnahme")
    position_services.position_open(
        position=position, actor=coop.head_b, deadline=timezone.localdate() + timedelta(days=7)
    )
    discussion.comment_add(discussion=POSITIONS, subject=position, author=coop.head_b, body="Ja.")
    partners = [PartnerFactory() for _ in range(10)]
    people = []
    for number in range(30):
        partner = partners[number % 10]
        person = (DepartmentHeadFactory if number % 3 == 0 else UserFactory)(partner=partner)
        if number % 2:
            set_frequency(person, Frequency.WEEKLY, areas=[coop.basis])
        initiative_services.follow(initiative=initiative, user=person)
        discussion.follow(discussion=POSITIONS, subject=position, user=person)
        if number % 3 == 1:
            initiative_services.solution_record(
                recorded_by=person, area=coop.basis, product="Produkt 1", vendor=""
            )
        people.append(person)
    until = timezone.now() + timedelta(seconds=1)

    def queries_for(recipients):
        deliveries = [
            DigestDelivery(recipient_id=p.pk, frequency=Frequency.WEEKLY, until=until)
            for p in recipients
        ]
        with CaptureQueriesContext(connection) as captured:
            built = digest.build(deliveries)
        assert all(d.items for d in built)
        return len(captured)

    # Each with heads who get it weekly (two or more: a single head's proposals are read in
    # one query less) and staff.
    few, many = queries_for(people[3:10]), queries_for(people)
    assert few == many
    # 14 for initiatives and the cooperation, 6 for positions (steps, comments, their titles,
    # follows, and the co-signatures that wait with the positions in Mitzeichnung).
    assert many <= 20
