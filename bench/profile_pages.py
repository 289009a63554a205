"""Where a freshly rendered page spends its time (issue 20): cProfile over requests to the list,
the detail page and the common ground, each with the page cache emptied first, in one process
with the production settings (DEBUG off, cached template loaders) on the national data set; and
"Mein Überblick" and the activity page signed in as the department head that bench/pages.py
picks (issue 19).

    .venv/bin/python bench/profile_pages.py --requests 50 [--top 25] [--only Kommentaren,Überblick]
    .venv/bin/python bench/profile_pages.py --requests 200 --no-profile  # only ms per request

Prints per page the milliseconds per request in a few parts – database (psycopg's execute and
fetch), template rendering, the rest of the view, middleware with session and authentication –
and the functions with the most time of their own. In-process (the Django test client), so
without gunicorn and the network: the parts of the page, not its response time.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

from common import SCALE_DATABASE_URL
from pages import HEAD_PAGES, the_head

ROOT = Path(__file__).resolve().parents[1]

# Parts of a request: cumulative time of these functions (file fragment, function name).
PARTS = {
    "Datenbank": [
        ("psycopg/cursor.py", "execute"),
        ("psycopg/cursor.py", "fetchall"),
        ("psycopg/cursor.py", "fetchmany"),
        ("psycopg/cursor.py", "fetchone"),
    ],
    "Templates": [("django/template/base.py", "render")],
    "View ohne Templates": [("django/views/generic/base.py", "view")],
    "ganze Anfrage": [("django/core/handlers/base.py", "get_response")],
}


def part_times(stats: pstats.Stats, requests: int) -> dict[str, float]:
    """ms per request of each part: the largest cumulative time among its functions (nested
    calls are counted once: an outer render holds the inner ones)."""
    found = {}
    for name, functions in PARTS.items():
        total = 0.0
        for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            for fragment, wanted in functions:
                if filename.endswith(fragment) and function == wanted:
                    total = max(total, ct) if name != "Datenbank" else total + ct
        found[name] = total * 1000 / requests
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=SCALE_DATABASE_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument(
        "--only", default="", help="nur Seiten, deren Name dies enthält (mehrere: durch Komma)"
    )
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="ohne cProfile: nur ms je Anfrage (zum Vergleich zweier Stände, abwechselnd)",
    )
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kooperation.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        MFA_REQUIRED="false",  # the department head signs in without a second factor
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import caches
    from django.test import Client

    from initiatives.models import Initiative
    from kooperation.devdata.scale import DETAIL_POSITION_TITLE, DETAIL_TITLE, SCALE_STAFF
    from partners.models import User
    from positions.models import Position

    staff, head = Client(), Client()
    staff.force_login(User.objects.get(email=SCALE_STAFF))
    head.force_login(User.objects.get(email=the_head()[0]))
    detail = Initiative.objects.get(title=DETAIL_TITLE).pk
    position = Position.objects.get(title=DETAIL_POSITION_TITLE).pk
    pages = {
        "Untergrenze: Impressum": "/impressum/",
        "Initiativen, erste Seite": "/initiativen/",
        "Initiativen, Seite 500": "/initiativen/?page=500",
        "Volltextsuche „Antrag“": "/initiativen/?q=Antrag",
        "Volltextsuche „Antrag Wohngeld“": "/initiativen/?q=Antrag+Wohngeld",
        "Initiative mit 200 Kommentaren": f"/initiativen/{detail}/",
        "Gemeinsamkeiten (Matrix)": "/gemeinsamkeiten/",
        "Position mit 60 Kommentaren": f"/positionen/{position}/",
        "Über die Kooperation": "/ueber/",
    }
    pages |= HEAD_PAGES
    if args.only:
        wanted = args.only.lower().split(",")
        pages = {
            name: path for name, path in pages.items() if any(w in name.lower() for w in wanted)
        }
    pages_cache = caches["pages"]
    for name, path in pages.items():
        pages_cache.clear()  # nothing from another worktree's code in the cache
        client = head if name in HEAD_PAGES else staff
        client.get(path)  # warm: templates compiled, connection open
        profile = cProfile.Profile()
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            pages_cache.clear()
            if not args.no_profile:
                profile.enable()
            response = client.get(path)
            if not args.no_profile:
                profile.disable()
            if response.status_code != 200:
                raise SystemExit(f"{path} antwortete {response.status_code}")
        wall = (time.perf_counter() - started) * 1000 / args.requests
        cpu = (time.process_time() - cpu_started) * 1000 / args.requests
        if args.no_profile:
            # CPU time of this process (without PostgreSQL's): steadier than the wall clock
            # on a machine that others load.
            print(f"{name} ({path}): {wall:.1f} ms je Anfrage, CPU dieses Prozesses {cpu:.1f} ms")
            continue
        stats = pstats.Stats(profile)
        parts = part_times(stats, args.requests)
        print(f"\n== {name} ({path}): {wall:.1f} ms je Anfrage mit Leeren des Caches")
        print("   " + ", ".join(f"{part} {ms:.1f} ms" for part, ms in parts.items()))
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
