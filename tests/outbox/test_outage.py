"""Redis, the broker, is killed while a join application, an invitation and accessibility
feedback are submitted: each answers as usual, its e-mails wait in the outbox, and once Redis is
back the sweep sends every one of them exactly once. Real processes: a private redis-server (the
shared one is never stopped), a Celery worker, PostgreSQL."""

import email
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from redis import Redis
from redis.exceptions import RedisError

from kooperation.celery import app
from outbox import services
from outbox.models import EmailJob
from outbox.tasks import sweep_outbox
from partners.models import Application
from partners.tokens import confirm_token
from tests.factories import AdminFactory, DepartmentHeadFactory, PartnerFactory
from tests.partners.test_views import application_form_data
from tests.processes import ROOT

# Celery workers as processes of their own, timed against each other: one such test at a time
# under pytest-xdist (`--dist loadgroup`).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.xdist_group("worker_processes"),
]

OFFICE = "geschaeftsstelle@example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--loglevel", "warning"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    client = Redis(port=port, socket_connect_timeout=0.2)
    assert wait_for(lambda: _pings(client), timeout=10), "redis-server startet nicht"
    client.close()
    return process


def _pings(client) -> bool:
    try:
        return client.ping()
    except RedisError:
        return False


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill(process)


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@contextmanager
def broker(url: str):
    """This process publishes to `url`: the web side of the portal on the private Redis."""
    previous = app.conf.broker_url

    def new_connections():
        # Forget, not close: kombu keeps one pool per broker in a registry, and the pool of the
        # shared broker is taken up again afterwards.
        app._pool = None
        app.amqp._producer_pool = None

    new_connections()
    app.conf.broker_url = url
    try:
        yield
    finally:
        new_connections()
        app.conf.broker_url = previous


def worker(redis_url: str, folder: Path) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "TEST_EMAIL_DIR": str(folder),
    }
    command = [sys.executable, "-m", "celery", "--app=kooperation", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def received(folder: Path) -> list[tuple[str, str]]:
    messages = [email.message_from_bytes(path.read_bytes()) for path in folder.glob("*.eml")]
    return sorted((str(message["To"]), str(message["Subject"])) for message in messages)


def test_emails_wait_out_a_broker_outage_and_arrive_exactly_once(
    client, settings, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis for worker processes; CI always has both")
    settings.MANAGERS = [("Geschäftsstelle", OFFICE)]
    # This process pauses publishing after the failure; later tests start without the pause.
    monkeypatch.setattr(services, "_broker_down_until", 0.0)
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(2)]
    partner = heads[0].partner
    office = AdminFactory()
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port)
    try:
        with broker(redis_url):
            kill(redis)  # the broker is gone

            started = time.monotonic()
            response = client.post(
                reverse("partners:application_create"), application_form_data(client)
            )
            assert response.status_code == 302, response.content[:500]
            joined = time.monotonic() - started
            # The applicant confirms the address: now the heads are asked to vote.
            confirm = reverse(
                "partners:application_confirm", args=[confirm_token(Application.objects.get())]
            )
            assert client.post(confirm).status_code == 302

            client.force_login(office)
            invitation = {
                "email": "nora.neu@example.org",
                "name": "Nora Neu",
                "job_title": "Sachbearbeiterin",
                "partner": partner.pk,
                "role": "staff",
            }
            response = client.post(reverse("admin:partners_user_add"), invitation)
            assert response.status_code == 302, response.content[:500]
            client.logout()

            feedback = {"message": "Der Kontrast ist zu schwach.", "page": "/partner/"}
            response = client.post(reverse("accessibility"), feedback)
            assert response.status_code == 302

            assert EmailJob.objects.filter(status=EmailJob.Status.PENDING).count() == 5
            assert not EmailJob.objects.exclude(status=EmailJob.Status.PENDING).exists()
            print(f"Beitrittsantrag bei ausgefallenem Broker: {joined:.2f} s")

            redis = start_redis(port)  # back, empty: none of the jobs was ever enqueued
            folder = tmp_path / "mail"
            folder.mkdir()
            process = worker(redis_url, folder)
            try:
                sweep_outbox.delay()
                assert wait_for(lambda: len(received(folder)) >= 5, timeout=60)
                sweep_outbox.delay()  # a second sweep finds nothing left to send
                time.sleep(3)
            finally:
                stop(process)
    finally:
        kill(redis)

    recipients = sorted(to for to, _subject in received(folder))
    assert recipients == sorted(
        [
            "maria.neumann@wolfenbuettel.example",  # the receipt
            *(head.email for head in heads),  # the vote requests
            "nora.neu@example.org",  # the invitation
            OFFICE,  # the feedback
        ]
    )
    assert EmailJob.objects.filter(status=EmailJob.Status.SENT).count() == 5
