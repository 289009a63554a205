"""Benchmark: build and send the weekly digest for 10,000 recipients (locmem mail backend).

    make bench-digest                       # or:
    .venv/bin/python bench/digest.py --recipients 10000

Seeds (once) a PostgreSQL database `kooperation_bench` with 200 partners, 10,000 staff, a week
of activity (proposals, commitments, comments on followed initiatives, new solutions that
overlap) and then runs the code a Celery worker runs for each batch (`digest.deliver`), in
`--processes` processes side by side as workers would, and prints recipients per second.
Each run starts from no deliveries. The mail backend is locmem: no SMTP server is measured.
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import create_database  # noqa: E402 - bench/ is the script's own folder

AREAS = ["Basisdienste", "Online-Dienste", "Fachverfahren", "Schnittstellen"]
PRODUCTS = [f"Produkt {letter}{number}" for letter in "ABCDEFGH" for number in range(5)]
WORDS = [
    *("Antrag", "Wohngeld", "Bauantrag", "Gewerbeanmeldung", "Kita", "Hundesteuer"),
    *("Meldebescheinigung", "Servicekonto", "E-Payment", "Postfach", "E-Akte"),
    *("Schnittstelle", "XBau", "FIT-Connect", "Portal"),
]


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
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from initiatives.models import (
        Area,
        Comment,
        Follow,
        Initiative,
        InitiativeEvent,
        Participation,
        Solution,
    )
    from partners.models import Partner, User

    if User.objects.count() >= recipients:
        confirm_addresses()
        return
    print(f"Lege Testdaten an ({recipients} Empfänger:innen) …", flush=True)
    rng = random.Random(42)  # noqa: S311 - repeatable test data, not security
    no_password = make_password(None)
    now = timezone.now()

    def during_last_week():
        return now - timedelta(seconds=rng.randint(60, 7 * 24 * 3600 - 60))

    areas = [
        Area.objects.get_or_create(slug=name.lower(), defaults={"name": name, "position": i})[0]
        for i, name in enumerate(AREAS)
    ]
    partners = Partner.objects.bulk_create(
        [
            Partner(
                name=f"Gemeinde Bench {number}",
                slug=f"bench-{number}",
                kind=Partner.Kind.GEMEINDE,
                official_key=f"09{number:06d}",
                status=Partner.Status.MEMBER,
            )
            for number in range(200)
        ]
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"person{number}@bench.example",
                name=f"Person {number}",
                partner=partners[number % len(partners)],
                role=User.Role.STAFF,
                password=no_password,
            )
            for number in range(recipients)
        ],
        batch_size=2000,
    )
    heads = User.objects.bulk_create(
        [
            User(
                email=f"dezernat{n}@bench.example",
                name=f"Dezernat {n}",
                partner=partner,
                role=User.Role.DEPARTMENT_HEAD,
                password=no_password,
            )
            for n, partner in enumerate(partners)
        ]
    )
    initiatives = Initiative.objects.bulk_create(
        [
            Initiative(
                title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} gemeinsam ({number})",
                summary="Ein gemeinsamer Online-Dienst.",
                description=" ".join(rng.choices(WORDS, k=40)),
                area=rng.choice(areas),
                lead_partner=(lead := rng.choice(partners)),
                proposer=people[partners.index(lead)],
                created_at=(moment := during_last_week()),
                last_activity_at=moment,
            )
            for number in range(500)
        ],
        batch_size=500,
    )
    events = [
        InitiativeEvent(
            initiative=initiative,
            kind=InitiativeEvent.Kind.PROPOSED,
            partner=initiative.lead_partner,
            actor=initiative.proposer,
            created_at=initiative.created_at,
        )
        for initiative in initiatives
    ]
    participations = {}
    for _ in range(2000):
        initiative, head = rng.choice(initiatives), rng.choice(heads)
        if (initiative.pk, head.partner_id) in participations:
            continue
        moment = during_last_week()
        participations[initiative.pk, head.partner_id] = Participation(
            initiative=initiative,
            partner=head.partner,
            stage=Participation.Stage.COMMITTED,
            changed_by=head,
            changed_at=moment,
        )
        events.append(
            InitiativeEvent(
                initiative=initiative,
                kind=InitiativeEvent.Kind.COMMITTED,
                partner=head.partner,
                actor=head,
                created_at=moment,
            )
        )
    Participation.objects.bulk_create(participations.values(), batch_size=2000)
    InitiativeEvent.objects.bulk_create(events, batch_size=2000)
    authors = rng.sample(people, 1000)
    Comment.objects.bulk_create(
        [
            Comment(
                initiative=rng.choice(initiatives),
                author=(author := rng.choice(authors)),
                partner_id=author.partner_id,
                body="Wir sind dabei und bringen Erfahrung mit.",
                created_at=during_last_week(),
            )
            for _ in range(3000)
        ],
        batch_size=2000,
    )
    Follow.objects.bulk_create(
        [
            Follow(initiative=initiative, user=person)
            for person in people
            for initiative in rng.sample(initiatives, 5)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    solutions = {}
    for partner in partners:
        for product in rng.sample(PRODUCTS, 10):
            area = areas[PRODUCTS.index(product) % len(areas)]
            recent = rng.random() < 0.1
            solutions[partner.pk, area.pk, product] = Solution(
                partner=partner,
                area=area,
                product=product,
                product_key=product.casefold(),
                created_at=during_last_week() if recent else now - timedelta(days=200),
            )
    Solution.objects.bulk_create(solutions.values(), batch_size=2000)
    confirm_addresses()


def confirm_addresses() -> None:
    """Digests go to confirmed addresses only: every bench person has one."""
    from allauth.account.models import EmailAddress

    from partners.models import User

    people = User.objects.filter(emailaddress__isnull=True).values_list("pk", "email")
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in people.iterator()
        ],
        batch_size=5000,
        ignore_conflicts=True,
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
