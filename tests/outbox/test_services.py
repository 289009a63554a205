"""The outbox's rules: one e-mail per job however often it is delivered, retries with growing
pauses after mail errors until the job is failed, subjects as written and on one line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox import services
from outbox.models import EmailJob
from outbox.tasks import sweep_outbox
from partners import emails
from partners.models import Application, Partner
from tests.factories import DepartmentHeadFactory, PartnerFactory, confirmed_application
from tests.mail import FlakyEmailBackend
from tests.processes import python_with_test_settings

pytestmark = pytest.mark.django_db


def queue(**overrides):
    data = {
        "to": ["anna@example.org"],
        "subject": "Betreff",
        "body": "Guten Tag,\n\nText.",
        "kind": "test",
        **overrides,
    }
    return services.mail_queue(**data)


def test_a_job_delivered_twice_sends_one_email(mailoutbox):
    job = queue(html="<p>Text.</p>", headers={"X-Kooperation": "ja"})

    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.SENT
    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.SENT

    [message] = mailoutbox
    assert message.to == ["anna@example.org"]
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers == {"X-Kooperation": "ja"}
    job.refresh_from_db()
    assert (job.status, job.attempts) == (EmailJob.Status.SENT, 1)
    assert job.sent_at is not None


def test_a_mail_error_retries_with_growing_pauses_and_finally_fails(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    settings.OUTBOX_RETRY_DELAY = 60
    settings.OUTBOX_MAX_ATTEMPTS = 3
    FlakyEmailBackend.reset(refuse={"anna@example.org": 450})
    job = queue()

    pauses = []
    for _attempt in range(2):
        before = timezone.now()
        assert services.job_deliver(job_id=job.pk) == EmailJob.Status.PENDING
        job.refresh_from_db()
        pauses.append(job.next_attempt_at - before)
        assert not EmailJob.objects.due().filter(pk=job.pk).exists()  # waits for its time
        assert EmailJob.objects.due(job.next_attempt_at).filter(pk=job.pk).exists()
    assert timedelta(seconds=60) <= pauses[0] < timedelta(seconds=120)
    assert timedelta(seconds=120) <= pauses[1] < timedelta(seconds=240)
    assert job.attempts == 2
    assert "SMTPRecipientsRefused" in job.last_error

    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.FAILED
    job.refresh_from_db()
    assert (job.status, job.attempts) == (EmailJob.Status.FAILED, 3)
    assert not EmailJob.objects.due(timezone.now() + timedelta(days=1)).exists()
    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.FAILED  # no fourth try
    assert FlakyEmailBackend.attempts == 3
    assert mailoutbox == []


def test_a_lost_connection_is_tried_again_and_then_sent(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.mail.FlakyEmailBackend"
    FlakyEmailBackend.reset(fail_on={1})
    job = queue()
    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.PENDING
    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.SENT
    assert len(mailoutbox) == 1


def job(**fields):
    """A job as the outbox holds it when its on-commit task never reached the broker."""
    data = {"kind": "test", "recipients": ["anna@example.org"], "subject": "S", "body": "B"}
    return EmailJob.objects.create(**{**data, **fields})


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_what_is_due_and_nothing_else(outbox_with):
    due = job(recipients=["faellig@example.org"])
    job(recipients=["spaeter@example.org"], next_attempt_at=timezone.now() + timedelta(minutes=5))
    job(recipients=["gesendet@example.org"], status=EmailJob.Status.SENT)
    job(recipients=["gescheitert@example.org"], status=EmailJob.Status.FAILED)

    sweep_outbox.delay()

    assert [message.to for message in outbox_with(1)] == [["faellig@example.org"]]
    due.refresh_from_db()
    assert due.status == EmailJob.Status.SENT


def test_subjects_are_not_html_escaped(sent_mail):
    DepartmentHeadFactory(partner=PartnerFactory())
    confirmed_application(name="Gemeinde für <img src=x> & Söhne")

    subjects = {message.subject for message in sent_mail()}
    assert (
        "[Kooperationsportal] Ihr Beitrittsantrag für Gemeinde für <img src=x> & Söhne ist "
        "eingegangen" in subjects
    )
    assert not any("&lt;" in subject or "&amp;" in subject for subject in subjects)


def test_a_line_break_in_a_name_gives_a_subject_on_one_line(sent_mail):
    head = DepartmentHeadFactory(partner=PartnerFactory())
    # Written as a form might have let it through before its fields refused control characters.
    application = Application.objects.create(
        name="Gemeinde\r\nBcc: fremde@example.org\n Musterdorf",
        kind=Partner.Kind.LANDKREIS,
        official_key="03151001",
        contact_name="Maria Neumann",
        contact_email="maria@example.org",
        motivation="Wir möchten mitmachen.",
    )
    emails.application_received(application)
    emails.vote_request(application, head)

    messages = sent_mail()
    assert [message.to for message in messages] == [["maria@example.org"], [head.email]]
    assert messages[0].subject == (
        "[Kooperationsportal] Ihr Beitrittsantrag für Gemeinde Bcc: fremde@example.org "
        "Musterdorf ist eingegangen"
    )
    for message in messages:
        message.message()  # would raise BadHeaderError for a line break
        assert "\n" not in message.subject
        assert "\r" not in message.subject
    assert set(EmailJob.objects.values_list("status", flat=True)) == {EmailJob.Status.SENT}


def test_an_overlong_subject_is_shortened_not_refused(sent_mail):
    queue(subject="Beitrittsantrag " * 100)
    [message] = sent_mail()
    assert len(message.subject) == 500
    assert message.subject.startswith("Beitrittsantrag Beitrittsantrag")


def test_the_office_gets_feedback_only_when_an_address_is_set(settings, sent_mail):
    from kooperation.services import accessibility_feedback_submit

    settings.MANAGERS = []
    accessibility_feedback_submit(message="Kontrast zu schwach.")
    assert not EmailJob.objects.exists()
    settings.MANAGERS = [("Geschäftsstelle", "office@example.org")]
    accessibility_feedback_submit(message="Kontrast zu <schwach> & grau.")
    [message] = sent_mail()
    assert message.to == ["office@example.org"]
    assert message.subject == "[Kooperationsportal] Rückmeldung zur Barrierefreiheit"
    assert "Kontrast zu <schwach> & grau." in message.body


def test_without_redis_the_email_is_sent_inline_after_commit(tmp_path):
    # A separate process, configured as `make run` is: no REDIS_URL, SQLite, e-mail to the console.
    result = python_with_test_settings(
        "\n".join(
            [
                "from django.core.management import call_command",
                "from django.db import transaction",
                "from outbox.services import mail_queue",
                "call_command('migrate', verbosity=0)",
                "with transaction.atomic():",
                "    job = mail_queue(to=['a@example.org'], subject='Hallo', body='B', kind='t')",
                "    job.refresh_from_db()",
                "    print('vor dem Commit:', job.status)",
                "job.refresh_from_db()",
                "print('nach dem Commit:', job.status)",
            ]
        ),
        REDIS_URL="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'inline.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "vor dem Commit: pending" in lines
    assert "nach dem Commit: sent" in lines
    assert "Subject: Hallo" in lines  # the console backend wrote it


def test_a_sent_email_keeps_who_what_when_but_not_its_text(mailoutbox):
    sent = queue(body="Ihr Link: https://portal.example/geheim", html="<p>geheim</p>")
    services.job_deliver(job_id=sent.pk)
    sent.refresh_from_db()
    assert (sent.subject, sent.recipients, sent.body, sent.html) == (
        "Betreff",
        ["anna@example.org"],
        "",
        "",
    )
    assert "geheim" in mailoutbox[0].body


def test_the_sweep_enqueues_a_job_once_while_its_task_waits():
    waiting = job(recipients=["wartet@example.org"])
    assert services.jobs_enqueue_due() == 1
    # The worker has not taken it yet: the next sweeps leave it alone for a while.
    assert services.jobs_enqueue_due() == 0
    waiting.refresh_from_db()
    assert waiting.next_attempt_at > timezone.now() + timedelta(minutes=4)
    assert waiting.status == EmailJob.Status.PENDING


def test_an_attachment_goes_out_with_its_job_and_is_then_deleted(mailoutbox):
    job = queue(attachments=[("brief.pdf", b"%PDF-1.7 Brief", "application/pdf")])

    assert services.job_deliver(job_id=job.pk) == EmailJob.Status.SENT

    [message] = mailoutbox
    assert message.attachments == [("brief.pdf", b"%PDF-1.7 Brief", "application/pdf")]
    assert not job.attachments.exists()
