"""Benchmark: "Mein Überblick" and the activity page on the national data set, under gunicorn with
production settings, signed in as the department head of the partner that leads the most
initiatives (about 700 of the 50,000, and takes part in more).

    make bench-overview                      # or:
    .venv/bin/python bench/overview.py --requests 200

Uses the database of `make bench-pages` (BENCH_SCALE_DATABASE_URL, seeded once with
`manage.py seed_scale`). The seeded heads have no password: the benchmark gives this one
SCALE_PASSWORD. MFA_REQUIRED is off for the run (a head would be sent to set up a second
factor). Each page is asked `--requests` times one after the other with the page cache emptied
before each request ("fresh"); the overview itself is never cached. Prints p50/p95/p99 in ms,
measured at the client over 127.0.0.1.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import SCALE_DATABASE_URL, create_database
from pages import PYTHON, ROOT, Portal, environment, manage, time_page


def the_head(database_url: str) -> tuple[str, int]:
    """The department head of the partner leading the most initiatives, with the benchmark's
    password; and how many initiatives that partner leads or takes part in."""
    import django

    django.setup()
    from django.db.models import Count, Q

    from kooperation.devdata.scale import SCALE_PASSWORD
    from partners.models import Partner, User

    partner = Partner.objects.annotate(led=Count("initiatives_led")).order_by("-led", "pk").first()
    head = User.objects.get(partner=partner, role=User.Role.DEPARTMENT_HEAD)
    if not head.check_password(SCALE_PASSWORD):
        head.set_password(SCALE_PASSWORD)
        head.save(update_fields=["password"])
    from initiatives.models import Initiative

    initiatives = (
        Initiative.objects.filter(Q(lead_partner=partner) | Q(participations__partner=partner))
        .distinct()
        .count()
    )
    return head.email, initiatives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=SCALE_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=200, help="Anfragen je Seite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn-Worker")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/3",
        help="Cache wie in Produktion (eine eigene Datenbank: der Benchmark leert sie)",
    )
    args = parser.parse_args()

    env = {**environment(args.database_url, args.redis_url), "MFA_REQUIRED": "false"}
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    create_database(args.database_url)
    print("Migrieren und (einmal) den bundesweiten Datensatz anlegen …", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_scale")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    email, initiatives = the_head(args.database_url)
    from kooperation.devdata.scale import SCALE_PASSWORD

    print(f"Angemeldet als Dezernent:in {email}, Partner mit {initiatives} Initiativen")
    pages = {
        # For comparison: the introduction, whose code this issue did not change.
        "Über die Kooperation (Vergleich)": "/ueber/",
        "Mein Überblick (Dezernent:in)": "/",
        "Aktivitäten, erste Seite": "/aktivitaeten/",
        "Aktivitäten, Seite 10": "/aktivitaeten/?page=10",
        "Aktivitäten, Arbeitsfeld und Art": "/aktivitaeten/?feld=online-dienste&art=initiatives",
    }
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "kooperation.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--error-logfile=-",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn antwortet nicht.") from None
                time.sleep(0.5)
        portal = Portal(base, args.redis_url)
        portal.sign_in(email, SCALE_PASSWORD)
        status, body = portal.get("/")
        if status != 200 or "Mein Überblick".encode() not in body:
            raise SystemExit("Die Anmeldung als Dezernent:in hat nicht geklappt.")
        print(f"\nAntwortzeiten in ms, neu gerendert ({args.requests} Anfragen je Seite)")
        print(f"{'Seite':<40} {'p50':>6} {'p95':>6} {'p99':>6}")
        for name, path in pages.items():
            fresh = time_page(portal, path, args.requests, fresh=True)
            print(f"{name:<40} {fresh['p50']:6.1f} {fresh['p95']:6.1f} {fresh['p99']:6.1f}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
