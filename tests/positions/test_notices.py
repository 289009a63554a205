"""Department heads are asked to co-sign by e-mail: at once when a position of another partner
enters Mitzeichnung, and once more two days before the deadline if their partner has not
decided – each exactly once, through the outbox (real database, locmem e-mail)."""

import datetime

import pytest
from django.utils import timezone

from outbox.models import EmailJob
from positions import notices, services
from positions.models import PositionNotice
from positions.tasks import send_cosigning_reminders
from tests.factories import DepartmentHeadFactory, UserFactory, draft_position
from tests.positions.helpers import fresh

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def recipients(messages, words):
    return sorted(address for m in messages if words in m.subject for address in m.to)


def test_opening_asks_the_heads_of_the_other_member_partners_once(world, sent_mail):
    people = world.people
    inactive = DepartmentHeadFactory(partner=world.partner_b, is_active=False)
    sent_mail().clear()  # what building the world sent

    services.position_open(position=world.draft, actor=people["head_a"], deadline=in_days(10))

    messages = sent_mail()
    asked = recipients(messages, "Bitte um Mitzeichnung")
    assert asked == sorted([people["head_b"].email, world.head_c.email])
    assert inactive.email not in asked
    [to_b] = [m for m in messages if m.to == [people["head_b"].email]]
    assert "Entwurf zur Anhörung" in to_b.subject
    assert f"/positionen/{world.draft.pk}/" in to_b.body
    assert in_days(10).strftime("%d.%m.%Y") in to_b.body
    assert PositionNotice.objects.filter(position=world.draft, kind="opened").count() == 2
    # Nothing asks again: opening twice is refused, and the notices are written.
    with pytest.raises(Exception, match="kann nicht"):
        services.position_open(position=world.draft, actor=people["head_a"], deadline=in_days(9))
    assert notices.notify_opened(fresh(world.draft)) == []
    assert recipients(sent_mail(), "Bitte um Mitzeichnung") == asked


def test_the_reminder_goes_once_two_days_before_the_deadline_to_undecided_heads(world, sent_mail):
    people = world.people
    position = draft_position(people["staff_a"], [world.land], title="Kurz vor der Frist")
    services.position_open(position=position, actor=people["head_a"], deadline=in_days(3))
    services.cosignature_decide(position=position, actor=people["head_b"], signs=True)
    sent_mail().clear()

    # Three days before: too early. (world.cosigning's deadline is a week away.)
    assert notices.reminders_send() == 0
    assert notices.reminders_send(today=in_days(1)) == 2

    assert recipients(sent_mail(), "Erinnerung") == sorted(
        [people["head_a"].email, world.head_c.email]
    )
    # A second run, also the next day and through the task, sends nothing more.
    jobs = EmailJob.objects.count()
    assert notices.reminders_send(today=in_days(1)) == 0
    assert notices.reminders_send(today=in_days(2)) == 0
    assert EmailJob.objects.count() == jobs
    assert len(sent_mail()) == 2


def test_no_reminder_after_the_deadline_or_once_sent_or_decided(world):
    people = world.people
    late = draft_position(people["staff_a"], [world.land], title="Frist vorbei")
    services.position_open(position=late, actor=people["head_a"], deadline=in_days(0))
    for head in (people["head_a"], people["head_b"], world.head_c):
        services.cosignature_decide(position=late, actor=head, signs=True)

    assert notices.reminders_send(today=in_days(1)) == 0  # deadline passed
    assert notices.reminders_send(today=in_days(0)) == 0  # everyone decided
    assert not PositionNotice.objects.filter(kind="reminder").exists()


def test_the_beat_task_sends_the_due_reminders(world, sent_mail):
    head_c = world.head_c
    services.position_update(
        position=world.cosigning,
        editor=world.people["staff_a"],
        title=world.cosigning.title,
        occasion="Anhörung",
        text="Geänderter Text",
        addressees=[world.land],
    )
    world.cosigning.deadline = in_days(2)
    world.cosigning.save(update_fields=["deadline"])
    UserFactory(partner=world.partner_c)  # staff get no reminder

    assert send_cosigning_reminders.apply().get() == 3
    assert recipients(sent_mail(), "Erinnerung") == sorted(
        [world.people["head_a"].email, world.people["head_b"].email, head_c.email]
    )
