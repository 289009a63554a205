"""The office sees the outbox in the admin and sends a failed e-mail again – once."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from outbox.models import EmailJob
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:outbox_emailjob_changelist")


@pytest.fixture
def office(client):
    client.force_login(AdminFactory())
    return client


def failed_job():
    return EmailJob.objects.create(
        kind="invitation",
        recipients=["nora@example.org"],
        subject="[Kooperationsportal] Einladung",
        body="Guten Tag",
        status=EmailJob.Status.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: 450",
    )


def send_again(office, job):
    return office.post(
        CHANGELIST,
        {"action": "send_again", helpers.ACTION_CHECKBOX_NAME: [job.pk]},
        follow=True,
    )


def test_the_office_lists_filters_and_searches_the_outbox(office):
    job = failed_job()
    response = office.get(CHANGELIST, {"status__exact": "failed", "q": "nora@example"})
    assert response.status_code == 200
    assert "nora@example.org" in response.text
    assert "SMTPRecipientsRefused" in response.text
    assert "Erneut senden" in response.text
    detail = office.get(reverse("admin:outbox_emailjob_change", args=[job.pk]))
    assert detail.status_code == 200  # read-only
    assert 'name="subject"' not in detail.text


def test_a_failed_email_is_sent_again_once(office, sent_mail):
    job = failed_job()

    response = send_again(office, job)
    assert "1 gescheiterte E-Mail(s) werden erneut gesendet." in response.text
    job.refresh_from_db()
    assert (job.status, job.attempts) == (EmailJob.Status.PENDING, 0)
    assert [message.to for message in sent_mail()] == [["nora@example.org"]]

    response = send_again(office, job)  # sent by now: nothing to do
    assert "1 E-Mail(s) ausgelassen" in response.text
    assert len(sent_mail()) == 1
    job.refresh_from_db()
    assert job.status == EmailJob.Status.SENT
