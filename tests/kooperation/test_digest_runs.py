"""The digest runs as Celery beat and the operators' command start them: one e-mail per
recipient and period through real runs, retries and failures (a real Celery worker on Redis
under CI)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from kooperation import tasks
from kooperation.models import DigestDelivery, Frequency
from tests.factories import UserFactory
from tests.mail import FlakyEmailBackend

Status = DigestDelivery.Status


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


def test_steps_of_the_last_minute_wait_for_the_next_digest(weekly_news, outbox_with, settings):
    settings.DIGEST_SETTLE_SECONDS = 60
    tasks.start_run(frequency=Frequency.WEEKLY)
    # The proposal is seconds old: it may belong to a transaction still open at the run.
    assert outbox_with(1, timeout=3) == []
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {Status.EMPTY}
    # The next week's run reports it.
    tasks.start_run(frequency=Frequency.WEEKLY, now=timezone.now() + timedelta(days=7))
    assert len(outbox_with(3)) == 3


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


def test_the_command_says_which_window_it_covers_and_what_it_holds_back(
    weekly_news, settings, capsys
):
    settings.DIGEST_SETTLE_SECONDS = 60
    call_command("send_digests", "--frequency", "weekly", "--now", "2026-11-16T06:30")
    out = capsys.readouterr().out
    assert "Neuigkeiten bis 16.11.2026 06:29:00, je Person seit ihrer letzten" in out
    assert "(sonst ab 09.11.2026 06:29:00, höchstens 28 Tage zurück)" in out
    assert "Zurückgehalten: 0 Schritte der letzten 60 Sekunden (DIGEST_SETTLE_SECONDS)" in out

    # The proposal is seconds old: this run leaves it to the next and says so.
    call_command("send_digests", "--frequency", "weekly")
    out = capsys.readouterr().out
    assert "Zurückgehalten: 1 Schritt der letzten 60 Sekunden (DIGEST_SETTLE_SECONDS)" in out
    assert "0 E-Mails versendet, 4 ohne Neuigkeiten." in out
    assert mail.outbox == []


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
