"""Benchmark: the weekly digest for the national data set, sent by real Celery workers on Redis.

    make bench-digest-national               # or:
    .venv/bin/python bench/digest_celery.py --concurrency 2

Uses the national data set (`manage.py seed_scale`, 100,000 people) in the PostgreSQL database
`kooperation_scale`; every department head is set to the weekly digest too, so all 100,000
people are recipients. Starts one Celery worker with `--concurrency` processes on Redis
(database 4 of the local server, emptied first), enqueues the run exactly as Celery beat does
(`kooperation.tasks.start_run`), waits until every delivery is decided and prints recipients per
second, what was sent, and the memory of the worker processes over the run. E-mails go to the
file backend under var/bench-mail (emptied first): written, not sent.
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import SCALE_DATABASE_URL, children_memory, create_database

ROOT = Path(__file__).resolve().parents[1]
MAIL = ROOT / "var" / "bench-mail"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=SCALE_DATABASE_URL,
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--concurrency", type=int, default=2, help="Worker-Prozesse")
    args = parser.parse_args()

    shutil.rmtree(MAIL, ignore_errors=True)
    MAIL.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kooperation.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "EMAIL_URL": f"filemail:///{MAIL}",  # four slashes: an absolute path
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    create_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )
    subprocess.run([sys.executable, "manage.py", "seed_scale"], cwd=ROOT, check=True)

    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone
    from redis import Redis

    from kooperation import digest, tasks
    from kooperation.models import DigestDelivery, DigestSetting, Frequency
    from partners.models import User

    heads = User.objects.filter(role=User.Role.DEPARTMENT_HEAD, digest_setting__isnull=True)
    DigestSetting.objects.bulk_create(
        [
            DigestSetting(user_id=pk, frequency=Frequency.WEEKLY)
            for pk in heads.values_list("pk", flat=True)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    Redis.from_url(args.redis_url).flushdb()
    period = digest.period_of(Frequency.WEEKLY, timezone.now())
    DigestDelivery.objects.filter(period=period).delete()
    recipients = sum(len(batch) for batch in digest.recipient_batches(Frequency.WEEKLY, period))

    worker = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "kooperation",
            "worker",
            f"--concurrency={args.concurrency}",
            "--pool=prefork",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(5)  # the worker boots
        print(f"{recipients} Empfänger:innen, {args.concurrency} Worker-Prozesse …", flush=True)
        started = time.perf_counter()
        tasks.start_run(frequency=Frequency.WEEKLY)
        samples = []
        done = 0
        while done < recipients:
            time.sleep(1)
            done = (
                DigestDelivery.objects.filter(period=period)
                .exclude(status=DigestDelivery.Status.PENDING)
                .count()
            )
            memory = children_memory(worker.pid)
            samples.append((done, memory))
            if time.perf_counter() - started > 3600:
                raise SystemExit("Nach einer Stunde nicht fertig.")
        seconds = time.perf_counter() - started
        by_status = dict(
            DigestDelivery.objects.filter(period=period)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        # The file backend appends each batch's messages to one file.
        files = sum(path.read_bytes().count(b"\nMessage-ID: ") for path in MAIL.iterdir())
        print(f"{recipients} in {seconds:.0f} s: {recipients / seconds:.0f} pro Sekunde")
        print(f"Status: {by_status}; E-Mails in den Dateien: {files}")
        peaks = {pid: peak for _done, memory in samples for pid, (_now, peak) in memory.items()}
        print(
            f"Höchster Speicher je Worker-Prozess: {', '.join(f'{p} MB' for p in peaks.values())}"
        )
        print("Speicher (RSS, MB) der Worker-Prozesse im Verlauf:")
        for share in (0.1, 0.25, 0.5, 0.75, 0.95):
            done_then, memory = next((d, m) for d, m in samples if d >= share * recipients)
            now = ", ".join(str(current) for current, _peak in memory.values())
            print(f"  nach {done_then} Empfänger:innen: {now}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
