"""A Celery worker killed (SIGKILL) in the middle of a digest batch: Redis delivers the task
again, a second worker takes the killed task's rows back, and in the end every recipient has
exactly one e-mail. Real processes, real Redis, real PostgreSQL."""

import email
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from redis import Redis

from kooperation import tasks
from kooperation.celery import app
from kooperation.models import DigestDelivery, Frequency
from tests.factories import AreaFactory, PartnerFactory, UserFactory, propose
from tests.processes import ROOT

# Celery workers as processes of their own, timed against each other: one such test at a time
# under pytest-xdist (`--dist loadgroup`).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.xdist_group("worker_processes"),
]

READERS = 6


def worker(folder: Path) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_EMAIL_DIR": str(folder),
        "TEST_EMAIL_DELAY": "0.4",
    }
    command = [sys.executable, "-m", "celery", "--app=kooperation", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def recipients_in(folder: Path) -> list[str]:
    return sorted(
        email.message_from_bytes(path.read_bytes())["To"] for path in folder.glob("*.eml")
    )


def forget_earlier_tasks():
    """Empties the queue and kombu's record of delivered, unacknowledged tasks (which Redis
    would otherwise hand out again): this test counts its own tasks only."""
    app.control.purge()
    client = Redis.from_url(settings.REDIS_URL)
    client.delete("unacked", "unacked_index", "unacked_mutex")
    client.close()


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_worker_killed_midway_leaves_exactly_one_email_each(tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis for worker processes; CI always has both")
    partner, other = PartnerFactory(), PartnerFactory(name="Stadt Bedorf")
    readers = [UserFactory(partner=partner) for _ in range(READERS)]
    propose(UserFactory(partner=other), AreaFactory(), title="Gemeinsames Servicekonto")
    forget_earlier_tasks()

    first = worker(tmp_path)
    try:
        tasks.start_run(frequency=Frequency.WEEKLY)
        assert wait_for(lambda: len(recipients_in(tmp_path)) >= 2, timeout=60)
        os.killpg(first.pid, signal.SIGKILL)  # mid-batch, between two e-mails
        first.wait()
    finally:
        stop(first)
    sent_before = recipients_in(tmp_path)
    assert 2 <= len(sent_before) < READERS
    pending = DigestDelivery.objects.filter(status=DigestDelivery.Status.PENDING)
    assert pending.exclude(claimed_by="").count() == READERS - len(sent_before)

    # Redis hands the killed task to the second worker once its visibility timeout
    # (tests/settings.py) has run out; the worker starts up meanwhile.
    second = worker(tmp_path)
    try:
        assert wait_for(lambda: len(recipients_in(tmp_path)) >= READERS, timeout=60)
        time.sleep(1)  # an e-mail too many would arrive now
    finally:
        stop(second)

    assert recipients_in(tmp_path) == sorted(reader.email for reader in readers)
    sent = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT)
    assert sent.count() == READERS
