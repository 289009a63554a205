"""Sending a batch: exactly one e-mail per recipient and period through claims, mail
errors, killed or competing workers, late and resumed batches."""

import threading
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from kooperation import digest, tasks
from kooperation.models import DigestDelivery, Frequency
from tests.concurrency import at_the_same_moment
from tests.factories import UserFactory, propose
from tests.kooperation.digests import batch_of, set_frequency
from tests.mail import CommitSettingBackend, FlakyEmailBackend, synchronous_commit

Status = DigestDelivery.Status


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

    def work():
        result = digest.deliver(
            frequency=Frequency.WEEKLY,
            period="2026-W48",
            until=until,
            recipient_ids=[r.pk for r in readers],
            owner=f"task:{threading.get_ident()}",
        )
        return result["sent"]

    sent = at_the_same_moment(work, times=3)

    assert sum(sent) == len(readers) == len(mail.outbox)
    assert len({message.to[0] for message in mail.outbox}) == len(readers)


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
