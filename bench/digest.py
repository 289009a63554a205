"""Benchmark: build and send the weekly digest for 10,000 recipients (locmem mail backend).

    make bench-digest                       # or:
    .venv/bin/python bench/digest.py --recipients 10000

Seeds (once) a PostgreSQL database `kooperation_bench` with the tables of the national data set
(kooperation/devdata/scale/) shrunk to 200 partners, 10,000 staff and a week of activity
(proposals, commitments, comments on followed initiatives, new solutions that overlap), then
runs the code a Celery worker runs for each batch (`digest.deliver`), in
`--processes` processes side by side as workers would, and prints recipients per second.
Each run starts from no deliveries. The mail backend is locmem: no SMTP server is measured.
"""

import argparse
import os
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import create_database  # noqa: E402 - bench/ is the script's own folder


def configure(database_url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kooperation.settings")
    os.environ["DATABASE_URL"] = database_url
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 60)
    os.environ.pop("REDIS_URL", None)  # the benchmark sends in this process

    create_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(recipients: int) -> None:
    """The national data set's tables (kooperation.devdata.scale), shrunk to 200 partners and
    one week: about five follows per person; a tenth of the inventory is this week's news."""
    from kooperation.devdata import scale
    from partners.models import User

    if User.objects.count() >= recipients:
        return
    print(f"Lege Testdaten an ({recipients} Empfänger:innen) …", flush=True)
    partners = 200
    counts = scale.Counts(
        partners=partners,
        people=partners + recipients,  # a department head per partner, the rest staff
        initiatives=500,
        participations=2500,
        comments=3000,
        solutions=2000,
        applications=0,
        follows=5 * recipients,
        positions=0,  # the digest's figures stay comparable with the earlier runs
    )
    scale.seed(
        counts,
        say=lambda text: None,
        history=timedelta(days=7),
        inventory_history=timedelta(days=70),
    )


def deliver_batch(job) -> dict:
    from django.core import mail

    from kooperation import digest

    period, until, batch = job
    mail.outbox = []  # each process keeps only the current batch's messages
    result = digest.deliver(
        frequency="weekly",
        period=period,
        until=until,
        recipient_ids=batch,
        owner=f"bench:{os.getpid()}",
    )
    result["sizes"] = [len(message.body) for message in mail.outbox]
    return result


def run(batch_size: int, processes: int) -> None:
    import multiprocessing

    from django.db import connections
    from django.utils import timezone

    from kooperation import digest
    from kooperation.models import DigestDelivery

    DigestDelivery.objects.all().delete()
    now = timezone.now()
    period = digest.period_of("weekly", now)
    jobs = [
        (period, now, batch)
        for batch in digest.recipient_batches("weekly", period, batch_size=batch_size)
    ]
    connections.close_all()  # each process opens its own
    started = time.perf_counter()
    if processes == 1:
        results = [deliver_batch(job) for job in jobs]
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(deliver_batch, jobs, chunksize=1)
    seconds = time.perf_counter() - started
    claimed = sum(result["claimed"] for result in results)
    sent = sum(result["sent"] for result in results)
    empty = sum(result["empty"] for result in results)
    sizes = sorted(size for result in results for size in result["sizes"]) or [0]
    print(f"Stapelgröße {batch_size}, {len(jobs)} Stapel, {processes} Prozess(e) wie Worker")
    print(f"{claimed} Empfänger:innen in {seconds:.1f} s: {claimed / seconds:.0f} pro Sekunde")
    print(f"{sent} E-Mails versendet, {empty} ohne Neuigkeiten")
    print(f"Textteil einer E-Mail: Median {sizes[len(sizes) // 2]} Zeichen")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Höchster Speicherbedarf: {max(own, children):.0f} MB je Prozess")
    recorded = DigestDelivery.objects.filter(period=period, status="sent").count()
    print(f"Versand-Datensätze „versendet“: {recorded} (E-Mails: {sent})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2, help="wie viele Worker")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kooperation_bench"
        ),
    )
    args = parser.parse_args()
    configure(args.database_url)
    seed(args.recipients)
    run(args.batch_size, args.processes)


if __name__ == "__main__":
    main()
