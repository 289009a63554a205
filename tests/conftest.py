import os
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_report_header(config):
    broker = settings.CELERY_BROKER_URL if settings.REDIS_URL else "Celery inline"
    return f"Datenbank: {connection.vendor}; Broker: {broker}"


def pytest_collection_modifyitems(items):
    """A test that takes the Celery worker fixture (directly or through outbox_with) is a worker
    test: `make test-fast` leaves it out."""
    for item in items:
        if "celery_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


@pytest.fixture(autouse=True)
def fresh_cache(request, django_db_blocker):
    """Rate-limit counters (and anything else cached) of one test do not reach the next. The
    security state lives in a database table that no transaction of a test rolls back when the
    test commits (transactional tests), so every test that uses the database starts with it
    empty; a test without the database cannot reach that cache at all."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    for alias, config in settings.CACHES.items():
        if not config["BACKEND"].endswith("DatabaseCache"):
            caches[alias].clear()
        elif uses_database:
            request.getfixturevalue("django_db_setup")
            with django_db_blocker.unblock():
                caches[alias].clear()


@pytest.fixture
def partner(db):
    return factories.PartnerFactory()


@pytest.fixture
def other_partner(db):
    return factories.PartnerFactory()


@pytest.fixture
def staff(partner):
    return factories.UserFactory(partner=partner)


@pytest.fixture
def department_head(partner):
    return factories.DepartmentHeadFactory(partner=partner)


@pytest.fixture
def office_admin(db):
    return factories.AdminFactory()


@pytest.fixture
def area(db):
    return factories.AreaFactory()


# Browser tests: Playwright drives Debian's Chromium (playwright install cannot download here).


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} fehlt: apt-get install -y chromium (macht .ci/run).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Returns a function that runs axe-core on a page and lists its WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                "resultTypes": ["violations"],
            },
        )
        return [
            f"{violation['id']} ({violation['impact']}): "
            + ", ".join(node["target"][0] for node in violation["nodes"])
            for violation in results.response["violations"]
        ]

    return run


# Celery: with Redis, a real worker in a thread takes the tasks from the broker; without Redis,
# tasks run inline and the fixture has nothing to start.


@pytest.fixture
def celery_worker(transactional_db):
    from celery.contrib.testing.worker import start_worker

    from kooperation.celery import app

    if not settings.REDIS_URL:
        yield None
        return
    app.control.purge()  # tasks left in the queue by tests that ran without a worker
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def sent_mail(mailoutbox):
    """For tests inside one transaction, where nothing is ever committed and so no e-mail job is
    enqueued: delivers the pending jobs of the outbox here, as the worker would, and returns the
    locmem outbox."""
    from outbox.models import EmailJob
    from outbox.services import job_deliver

    def deliver():
        pending = EmailJob.objects.filter(status=EmailJob.Status.PENDING).order_by("pk")
        for job_id in pending.values_list("pk", flat=True):
            job_deliver(job_id=job_id)
        return mailoutbox

    return deliver


def _tasks_in_flight() -> int:
    """Tasks still queued in the broker, delivered but not acknowledged (the tasks ack late, so
    until they have finished), or held by the in-process worker."""
    from celery.worker import state
    from kombu.exceptions import ChannelError

    from kooperation.celery import app

    def queued(channel, name):
        try:
            return channel.queue_declare(queue=name, passive=True).message_count
        except ChannelError:  # Redis keeps no empty list: the queue is empty
            return 0

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        queued = sum(queued(channel, name) for name in app.amqp.queues)
        unacked = channel.client.hlen(channel.unacked_key)
    return queued + unacked + len(state.active_requests) + len(state.reserved_requests)


@pytest.fixture
def outbox_with(celery_worker):
    """Waits until the worker has done every task sent so far, and so sent every e-mail it will
    (a surplus one included); returns the locmem outbox. Settled means
    nothing in flight at two polls in a row: between taking a task from its queue and recording
    it as unacknowledged, the broker client holds it for a moment in neither place."""
    from django.core import mail

    def wait(count, timeout=20):
        # `count`, the e-mails the test expects, names them at the call; the wait itself ends
        # when the worker is idle, for fewer and for more e-mails alike.
        del count
        if celery_worker is None:  # inline tasks: everything has run already
            return mail.outbox
        deadline = time.monotonic() + timeout
        idle_polls = 0
        while time.monotonic() < deadline:
            idle_polls = idle_polls + 1 if _tasks_in_flight() == 0 else 0
            if idle_polls >= 2:
                break  # nothing left to run: no further e-mail can arrive
            time.sleep(0.05)
        return mail.outbox

    return wait
