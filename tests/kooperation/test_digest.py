"""The digest: who gets one, what is in it, and that each recipient gets exactly one e-mail per
period, through real runs, retries and failures (a real Celery worker on Redis under CI)."""

import datetime
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import activity as initiative_activity
from initiatives import services as initiative_services
from initiatives.models import Area, Participation
from kooperation import digest, tasks
from kooperation.models import DigestDelivery, DigestSetting, Frequency
from partners import services as partner_services
from partners.models import Partner, User
from tests.factories import (
    AdminFactory,
    AgreementVersionFactory,
    AreaFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    confirmed_application,
)
from tests.mail import CommitSettingBackend, FlakyEmailBackend, synchronous_commit

Status = DigestDelivery.Status


@dataclass
class Cooperation:
    basis: Area
    online: Area
    a: Partner
    b: Partner
    staff_a: User
    head_a: User
    staff_b: User
    head_b: User


@pytest.fixture
def coop(db):
    a, b = PartnerFactory(name="Stadt Adorf"), PartnerFactory(name="Stadt Bedorf")
    return Cooperation(
        basis=AreaFactory(name="Basisdienste"),
        online=AreaFactory(name="Online-Dienste"),
        a=a,
        b=b,
        staff_a=UserFactory(partner=a, name="Anna Adorf"),
        head_a=DepartmentHeadFactory(partner=a, name="Dr. Hans Adorf"),
        staff_b=UserFactory(partner=b, name="Berta Bedorf"),
        head_b=DepartmentHeadFactory(partner=b, name="Dr. Bernd Bedorf"),
    )


def propose(proposer, area, title="E-Payment gemeinsam"):
    return initiative_services.initiative_propose(
        proposer=proposer,
        title=title,
        summary="Ein Zahlungsdienst für alle.",
        description="Beschreibung.",
        area=area,
    )


def apply_to_join(name, official_key):
    slug = name.split()[-1].lower()
    return confirmed_application(
        name=name,
        kind=Partner.Kind.GEMEINDE,
        official_key=official_key,
        website=f"https://www.{slug}.example",
        contact_name="Maria Neumann",
        contact_email=f"kontakt@{slug}.example",
        motivation="Basisdienste teilen.",
    )


def digest_of(person, frequency=Frequency.WEEKLY, until=None):
    until = until or timezone.now() + timedelta(seconds=1)
    delivery = DigestDelivery(recipient=person, frequency=frequency, until=until)
    [built] = digest.build([delivery])
    return built


def texts(built, section=None):
    return [
        item.text
        for key, items, _total in built.sections
        if section in (None, key)
        for item in items
    ]


def delivered(person, frequency, period, until):
    """A digest the person already got (a finished delivery)."""
    return DigestDelivery.objects.create(
        recipient=person, frequency=frequency, period=period, until=until, status=Status.SENT
    )


def set_frequency(person, frequency, areas=()):
    setting = DigestSetting.objects.create(user=person, frequency=frequency)
    setting.areas.set(areas)


# Periods and recipients.


@pytest.mark.parametrize(
    ("moment", "daily", "weekly"),
    [
        ("2026-11-26T10:00:00+00:00", "2026-11-26", "2026-W48"),
        # 23:30 UTC is already the next day in Berlin.
        ("2026-11-26T23:30:00+00:00", "2026-11-27", "2026-W48"),
        # Sunday night in Berlin is Monday: a new ISO week.
        ("2026-11-29T23:30:00+00:00", "2026-11-30", "2026-W49"),
        # New Year's Day 2027 still belongs to ISO week 53 of 2026.
        ("2027-01-01T08:00:00+01:00", "2027-01-01", "2026-W53"),
    ],
)
def test_a_period_is_a_berlin_day_or_iso_week(moment, daily, weekly):
    moment = datetime.datetime.fromisoformat(moment)
    assert digest.period_of(Frequency.DAILY, moment) == daily
    assert digest.period_of(Frequency.WEEKLY, moment) == weekly


def test_department_heads_get_it_daily_and_everyone_else_weekly_unless_they_chose(coop):
    office = AdminFactory()
    silent = UserFactory(partner=coop.a)
    set_frequency(silent, Frequency.NEVER)
    keen = UserFactory(partner=coop.b)
    set_frequency(keen, Frequency.DAILY)
    UserFactory(partner=coop.a, is_active=False)
    former = PartnerFactory(status=Partner.Status.FORMER, left_on="2024-01-01")
    UserFactory(partner=former)

    daily = set(digest.recipients(Frequency.DAILY))
    weekly = set(digest.recipients(Frequency.WEEKLY))

    assert daily == {coop.head_a, coop.head_b, keen}
    assert weekly == {coop.staff_a, coop.staff_b, office}
    assert silent not in daily | weekly


def test_recipients_come_in_batches_without_those_already_done(coop, settings):
    people = [UserFactory(partner=coop.a) for _ in range(5)]
    period = "2026-W48"
    DigestDelivery.objects.create(
        recipient=people[0],
        frequency=Frequency.WEEKLY,
        period=period,
        until=timezone.now(),
        status=Status.SENT,
    )
    batches = list(digest.recipient_batches(Frequency.WEEKLY, period, batch_size=2))
    everyone = [pk for batch in batches for pk in batch]
    assert [len(batch) for batch in batches] == [2, 2, 2]
    assert everyone == sorted({coop.staff_a.pk, coop.staff_b.pk, *(p.pk for p in people[1:])})


# What is in a digest.


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


def test_the_batches_of_a_run_read_the_news_of_their_window_once(
    coop, settings, django_assert_max_num_queries
):
    settings.DIGEST_NEWS_MEMO_SECONDS = 600
    digest._news_memo.clear()
    propose(coop.staff_b, coop.basis, title="Einmal gelesen")
    until = timezone.now()
    first = digest.news_between(until - timedelta(days=7), until)
    assert [item for item in first if "Einmal gelesen" in item.text]
    propose(coop.staff_b, coop.basis, title="Später")
    with django_assert_max_num_queries(0):
        again = digest.news_between(until - timedelta(days=7), until)
    assert again is first
    # Another window is read anew; after the time, the same window too.
    assert digest.news_between(until - timedelta(days=1), until) is not first
    later = time.monotonic() + 601
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest.time, "monotonic", lambda: later)
        fresh = digest.news_between(until - timedelta(days=7), until)
    assert fresh is not first  # read again
    assert [item.text for item in fresh] == [item.text for item in first]
    digest._news_memo.clear()


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


def test_building_a_batch_costs_the_same_queries_for_3_or_30_recipients(coop):
    for number in range(6):
        initiative = propose(coop.staff_b, coop.basis, title=f"Vorschlag {number}")
        initiative_services.comment_add(initiative=initiative, author=coop.head_b, body="Ja.")
        initiative_services.solution_record(
            recorded_by=coop.staff_b, area=coop.basis, product=f"Produkt {number}", vendor=""
        )
    partners = [PartnerFactory() for _ in range(10)]
    people = []
    for number in range(30):
        partner = partners[number % 10]
        person = (DepartmentHeadFactory if number % 3 == 0 else UserFactory)(partner=partner)
        if number % 2:
            set_frequency(person, Frequency.WEEKLY, areas=[coop.basis])
        initiative_services.follow(initiative=initiative, user=person)
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

    few, many = queries_for(people[3:6]), queries_for(people)  # each with heads and staff
    assert few == many
    assert many <= 14


# Sending: exactly one e-mail per recipient and period.


@pytest.fixture
def weekly_news(transactional_db):
    """Two partners; B proposed something, so A's three people have news."""
    a, b = PartnerFactory(name="Stadt Adorf"), PartnerFactory(name="Stadt Bedorf")
    area = AreaFactory(name="Basisdienste")
    readers = [UserFactory(partner=a) for _ in range(3)]
    proposer = UserFactory(partner=b)
    propose(proposer, area, title="Gemeinsames Servicekonto")
    return readers, proposer


def test_a_run_sends_each_recipient_one_digest_and_a_second_run_none(
    weekly_news, outbox_with, settings
):
    readers, proposer = weekly_news
    period, batches = tasks.start_run(frequency=Frequency.WEEKLY)

    outbox = outbox_with(3)
    assert sorted(message.to[0] for message in outbox) == sorted(r.email for r in readers)
    message = outbox[0]
    assert "Ihre wöchentliche Zusammenfassung: 1 Neuigkeit" in message.subject
    assert "Stadt Bedorf schlägt „Gemeinsames Servicekonto“ vor." in message.body
    assert f"{settings.SITE_URL}/initiativen/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Gemeinsames Servicekonto" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{settings.SITE_URL}/zusammenfassung/abbestellen/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    deliveries = DigestDelivery.objects.filter(period=period)
    assert deliveries.filter(status=Status.SENT, items=1).count() == 3
    assert deliveries.get(recipient=proposer).status == Status.EMPTY  # their own proposal
    assert batches == 1

    tasks.start_run(frequency=Frequency.WEEKLY)  # a second run, or a duplicate beat
    tasks.send_digest_batch.delay(
        Frequency.WEEKLY, period, timezone.now().isoformat(), [r.pk for r in readers]
    )  # a batch task delivered again by Redis
    assert len(outbox_with(4, timeout=3)) == 3


def test_nothing_new_sends_nothing(transactional_db, outbox_with):
    UserFactory()
    period, _batches = tasks.start_run(frequency=Frequency.WEEKLY)
    assert outbox_with(1, timeout=3) == []
    assert DigestDelivery.objects.get(period=period).status == Status.EMPTY


def test_a_rollback_enqueues_nothing(weekly_news, outbox_with):
    def run_then_fail():
        with transaction.atomic():
            tasks.start_run(frequency=Frequency.WEEKLY)
            raise RuntimeError("Abbruch")

    with pytest.raises(RuntimeError):
        run_then_fail()
    assert outbox_with(1, timeout=3) == []
    assert not DigestDelivery.objects.exists()


def test_a_mail_error_midway_ends_with_exactly_one_email_each(weekly_news, outbox_with, settings):
    if not settings.REDIS_URL:
        pytest.skip("retries wait for a worker on Redis; CI always has one")
    readers, _proposer = weekly_news
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    settings.DIGEST_RETRY_DELAY = 0
    FlakyEmailBackend.reset(fail_on={2})

    period, _batches = tasks.start_run(frequency=Frequency.WEEKLY)

    outbox = outbox_with(3)
    assert sorted(message.to[0] for message in outbox) == sorted(r.email for r in readers)
    assert FlakyEmailBackend.attempts == 4  # one refused, then sent by the retry
    sent = DigestDelivery.objects.filter(period=period, status=Status.SENT)
    assert sent.count() == 3
    assert sorted(sent.values_list("attempts", flat=True)) == [1, 1, 1]  # the server's fault
    assert set(sent.values_list("error", flat=True)) == {""}


def batch_of(readers, **changes):
    return {
        "frequency": Frequency.WEEKLY,
        "period": "2026-W48",
        "until": timezone.now(),
        "recipient_ids": [r.pk for r in readers],
        **changes,
    }


def templates_rendered_by(deliver) -> list[str]:
    """The names of the templates rendered while `deliver` sends three digests."""
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        assert deliver()["sent"] == 3
    finally:
        template_rendered.disconnect(seen)
    return rendered


def test_a_batch_renders_the_line_of_each_item_once(weekly_news, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    readers, proposer = weekly_news
    propose(proposer, Area.objects.get(), title="Zweite Sache")
    rendered = templates_rendered_by(lambda: digest.deliver(**batch_of(readers), owner="task:1"))
    # Two items, three e-mails: each line rendered once, the e-mails each rendered once.
    assert rendered.count("kooperation/email/_digest_item.html") == 2
    assert rendered.count("kooperation/email/_digest_item.txt") == 2
    assert rendered.count("kooperation/email/digest.html") == 3
    for email in mail.outbox:
        html = email.alternatives[0][0]
        assert "„Gemeinsames Servicekonto“" in email.body
        assert "„Zweite Sache“" in email.body
        assert html.count("<li><a href=") == 2
        assert "„Zweite Sache“" in html


def test_a_batch_renders_the_line_under_a_long_section_once_per_number(weekly_news, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    readers, proposer = weekly_news
    for number in range(11):
        propose(proposer, Area.objects.get(), title=f"Vorschlag {number:02d}")
    rendered = templates_rendered_by(lambda: digest.deliver(**batch_of(readers), owner="task:1"))
    assert rendered.count("kooperation/email/_digest_more.html") == 1
    assert rendered.count("kooperation/email/_digest_more.txt") == 1
    for email in mail.outbox:
        assert "… insgesamt 12 Einträge; die übrigen finden Sie im Portal." in email.body
        assert "Insgesamt 12 Einträge; die übrigen finden Sie <a href=" in email.alternatives[0][0]


def test_a_killed_workers_task_takes_its_rows_back_when_redis_delivers_it_again(weekly_news):
    readers, _proposer = weekly_news
    batch = batch_of(readers)
    # Task 1 claims the batch, sends to the first reader and is killed before the rest.
    assert len(digest.claim(**batch, owner="task:1")) == 3
    first = DigestDelivery.objects.get(recipient=readers[0])
    DigestDelivery.objects.filter(pk=first.pk).update(status=Status.SENT, claimed_by="")

    # A second run's task finds the rest held and leaves it (and would look again later).
    other = digest.deliver(**batch, owner="task:2")
    assert (other["sent"], other["held"]) == (0, 2)
    # Redis delivers task 1 again (same id): it takes its rows back at once.
    again = digest.deliver(**batch, owner="task:1")
    assert (again["sent"], again["held"]) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers[1:])


def test_what_a_task_that_gave_up_left_is_sent_by_the_resume_run(weekly_news, outbox_with):
    readers, _proposer = weekly_news
    # A task claimed the batch, hit the hard time limit and was given up; its claim expired.
    digest.claim(**batch_of(readers), owner="task:lost")
    DigestDelivery.objects.update(
        claimed_until=timezone.now() - timedelta(seconds=1),
        created_at=timezone.now() - timedelta(minutes=10),
    )
    assert tasks.resume_digests() == 1
    assert sorted(m.to[0] for m in outbox_with(3)) == sorted(r.email for r in readers)
    assert not DigestDelivery.objects.filter(status=Status.PENDING).exists()
    assert tasks.resume_digests() == 0


def test_an_address_refused_for_good_fails_alone(weekly_news, settings):
    readers, _proposer = weekly_news
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(refuse={readers[0].email: 550})

    result = digest.deliver(**batch_of(readers), owner="task:1")

    assert (result["sent"], result["failed"]) == (2, 1)
    failed = DigestDelivery.objects.get(recipient=readers[0])
    assert failed.status == Status.FAILED
    assert "550" in failed.error
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers[1:])
    assert digest.deliver(**batch_of(readers), owner="task:2")["claimed"] == 0


def test_an_address_refused_for_now_is_tried_again_then_given_up(weekly_news, settings):
    readers, _proposer = weekly_news
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(refuse={readers[0].email: 451})

    with pytest.raises(digest.Deferred):
        digest.deliver(**batch_of(readers), owner="task:1")
    assert len(mail.outbox) == 2  # the others went out
    waiting = DigestDelivery.objects.get(recipient=readers[0])
    assert (waiting.status, waiting.attempts, waiting.claimed_by) == (Status.PENDING, 1, "")

    for _retry in range(settings.DIGEST_MAX_ATTEMPTS - 2):
        with pytest.raises(digest.Deferred):
            digest.deliver(**batch_of(readers), owner="task:1")
    result = digest.deliver(**batch_of(readers), owner="task:1")
    assert result["failed"] == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (Status.FAILED, settings.DIGEST_MAX_ATTEMPTS)
    assert len(mail.outbox) == 2


def test_whoever_left_or_unsubscribed_after_the_run_began_gets_nothing(weekly_news):
    readers, _proposer = weekly_news
    batch = batch_of(readers)
    set_frequency(readers[0], Frequency.NEVER)
    readers[1].is_active = False
    readers[1].save(update_fields=["is_active"])
    readers[2].delete()

    result = digest.deliver(**batch, owner="task:1")

    assert (result["sent"], result["empty"]) == (0, 2)
    assert mail.outbox == []
    assert not DigestDelivery.objects.filter(status=Status.PENDING).exists()


def test_steps_of_the_last_minute_wait_for_the_next_digest(weekly_news, outbox_with, settings):
    settings.DIGEST_SETTLE_SECONDS = 60
    tasks.start_run(frequency=Frequency.WEEKLY)
    # The proposal is seconds old: it may belong to a transaction still open at the run.
    assert outbox_with(1, timeout=3) == []
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {Status.EMPTY}
    # The next week's run reports it.
    tasks.start_run(frequency=Frequency.WEEKLY, now=timezone.now() + timedelta(days=7))
    assert len(outbox_with(3)) == 3


def test_the_sent_marks_do_not_wait_for_the_disk_and_the_connection_is_reset(weekly_news, settings):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; CI always runs PostgreSQL")
    readers, _proposer = weekly_news
    assert synchronous_commit() == "on"
    # A batch that stops at a lost connection leaves the connection as it was …
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(fail_on={1})
    with pytest.raises(SMTPServerDisconnected):
        digest.deliver(**batch_of(readers), owner="task:1")
    assert synchronous_commit() == "on"
    # … and so does the retry that sends them all, with marks that did not wait.
    settings.EMAIL_BACKEND = "tests.mail.CommitSettingBackend"
    CommitSettingBackend.seen = []
    assert digest.deliver(**batch_of(readers), owner="task:1")["sent"] == 3
    assert CommitSettingBackend.seen == ["off"] * 3
    assert synchronous_commit() == "on"


def test_two_workers_on_the_same_batch_send_each_digest_once(weekly_news):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI always runs it")
    readers, _proposer = weekly_news
    readers += [UserFactory(partner=readers[0].partner) for _ in range(20)]
    until = timezone.now() + timedelta(seconds=1)
    barrier = threading.Barrier(3)
    errors, sent = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            result = digest.deliver(
                frequency=Frequency.WEEKLY,
                period="2026-W48",
                until=until,
                recipient_ids=[r.pk for r in readers],
                owner=f"task:{threading.get_ident()}",
            )
            sent.append(result["sent"])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(sent) == len(readers) == len(mail.outbox)
    assert len({message.to[0] for message in mail.outbox}) == len(readers)


def test_the_schedule_and_the_timeouts_fit_together(settings):
    from kooperation.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    daily, weekly = schedule["digest-daily"], schedule["digest-weekly"]
    assert (daily["task"], daily["args"]) == ("kooperation.tasks.run_digests", ["daily"])
    assert (weekly["task"], weekly["args"]) == ("kooperation.tasks.run_digests", ["weekly"])
    assert daily["schedule"].hour == {6}
    assert daily["schedule"].day_of_week == set(range(7))
    assert weekly["schedule"].day_of_week == {1}  # Monday
    assert app.conf.timezone == "Europe/Berlin"
    assert "kooperation.tasks.run_digests" in app.tasks
    batch_task = app.tasks["kooperation.tasks.send_digest_batch"]
    assert batch_task.acks_late
    assert batch_task.reject_on_worker_lost
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # A claim outlives the longest task; a waiting retry is not handed out twice.
    assert settings.DIGEST_CLAIM_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    assert tasks.retry_delay(batch_task.max_retries) < visibility
    assert visibility > settings.CELERY_TASK_TIME_LIMIT


# The operators' command.


def test_dry_run_shows_who_would_get_what_and_changes_nothing(weekly_news, capsys):
    readers, _proposer = weekly_news
    call_command("send_digests", "--frequency", "weekly", "--dry-run")
    out = capsys.readouterr().out
    for reader in readers:
        assert f"{reader.email}: 1 Eintrag" in out
    assert "Stadt Bedorf schlägt „Gemeinsames Servicekonto“ vor." in out
    assert "3 bekämen eine E-Mail, 1 ohne Neuigkeiten." in out
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_the_command_sends_now_once_per_period(weekly_news, capsys):
    call_command("send_digests", "--frequency", "weekly", "--now", "2020-01-06T06:30")
    out = capsys.readouterr().out
    assert "Zeitraum 2020-W02, Stand 06.01.2020 06:30 CET" in out
    assert "0 E-Mails versendet, 4 ohne Neuigkeiten." in out  # nothing happened back then
    call_command("send_digests", "--frequency", "weekly")
    assert "3 E-Mails versendet, 1 ohne Neuigkeiten." in capsys.readouterr().out
    call_command("send_digests", "--frequency", "weekly")
    assert "0 E-Mails versendet, 0 ohne Neuigkeiten." in capsys.readouterr().out
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("bad", ["gestern", "2026-13-01T06:00", ""])
def test_the_command_refuses_a_bad_time(db, bad):
    if bad == "":
        with pytest.raises(CommandError, match="frequency"):
            call_command("send_digests")
        return
    with pytest.raises(CommandError, match="kein Zeitpunkt"):
        call_command("send_digests", "--frequency", "daily", "--now", bad)


def test_run_inline_a_mail_error_stops_the_batch_and_the_next_run_sends_the_rest(
    weekly_news, settings, capsys
):
    readers, _proposer = weekly_news
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(fail_on={2})

    with pytest.raises(CommandError, match="1 Stapel nicht ganz versendet"):
        call_command("send_digests", "--frequency", "weekly")
    assert len(mail.outbox) == 1
    call_command("send_digests", "--frequency", "weekly")
    assert "2 E-Mails versendet" in capsys.readouterr().out
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)


def test_connection_errors_spend_no_attempts_of_a_message(weekly_news, settings):
    readers, _proposer = weekly_news
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(fail_on={1, 2, 3, 4, 5, 6})
    for _outage in range(6):
        with pytest.raises(SMTPServerDisconnected):
            digest.deliver(**batch_of(readers), owner="task:1")
    first = DigestDelivery.objects.order_by("pk").filter(status=Status.PENDING).first()
    assert (first.attempts, first.claimed_by) == (0, "")
    assert "Verbindung zum Mailserver verloren" in first.error
    assert digest.deliver(**batch_of(readers), owner="task:1")["sent"] == 3


def test_an_older_period_sent_late_repeats_nothing(coop):
    propose(coop.staff_b, coop.basis, title="Schon berichtet")
    earlier = timezone.now()
    later = earlier + timedelta(hours=1)
    # Tomorrow's digest went out before today's, which the resume run sends now.
    ids = {"recipient_ids": [coop.staff_a.pk], "frequency": Frequency.WEEKLY}
    assert digest.deliver(**ids, period="2026-W49", until=later, owner="a")["sent"] == 1
    late = digest.deliver(**ids, period="2026-W48", until=earlier, owner="b")
    assert (late["sent"], late["empty"]) == (0, 1)
    assert len(mail.outbox) == 1


def test_rows_kept_for_a_retry_are_left_to_it_and_old_ones_expire(weekly_news):
    readers, _proposer = weekly_news
    digest.claim(**batch_of(readers), owner="task:retrying")
    # The task failed and keeps its rows for its retry in a minute.
    DigestDelivery.objects.update(
        claimed_until=timezone.now() + timedelta(minutes=1),
        created_at=timezone.now() - timedelta(minutes=10),
    )
    assert tasks.resume_digests() == 0
    # Rows left for three days are not sent any more; the next digest covers their time.
    DigestDelivery.objects.update(claimed_until=None, created_at=timezone.now() - timedelta(days=3))
    assert tasks.resume_digests() == 0
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {Status.EXPIRED}
