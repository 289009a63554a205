"""Benchmark: the portal's pages on the national data set, under gunicorn with production settings.

    make bench-pages                         # or:
    .venv/bin/python bench/pages.py --requests 200 --wrk-seconds 30

Seeds (once) the PostgreSQL database `kooperation_scale` (or BENCH_SCALE_DATABASE_URL) with
`manage.py seed_scale` (11,000 partners, 100,000 people, 50,000 initiatives, 500,000 comments,
20,000 joint positions …), collects the static files,
starts gunicorn (`--workers`, production settings: DEBUG off, compressed static files), signs in
as the benchmark's staff account and then

- asks each page `--requests` times one after the other and prints the response time
  (p50/p95/p99, measured at the client over 127.0.0.1, so server time plus a connection);
  The joint positions: their list (first page, a far page, searched), the detail page of the
  answered position with 60 comments, and its stored five-page letter as PDF; "Mein Überblick"
  and the activity page signed in as a second person, the department head of the partner that
  leads the most initiatives (issue 19; MFA_REQUIRED is off for the run: a head would be sent to
  set up a second factor);
- runs `wrk` (unless `--wrk-seconds 0`) with `--connections` connections for `--wrk-seconds`
  seconds against the list page and prints requests per second and errors: random pages
  (cache emptied first, mostly rendered anew), the same address without changes (from the
  cache), and the same address while people save `--changes-per-second` comments per second
  (each one renews the cache);
- prints the peak memory (RSS) of each gunicorn worker;
- prints, from the same run, figures that survive a slow day (issue 20): each page's fresh p50
  relative to the floor page (the imprint, signed in: the same middleware, session and base
  template, almost nothing else), the throughput while 10 changes per second are saved relative
  to the throughput without changes, and the random pages' throughput relative to the floor
  page's (line "Verhältnis").
"""

import argparse
import contextlib
import http.cookiejar
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import SCALE_DATABASE_URL, children_memory, create_database

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def environment(database_url: str, redis_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kooperation.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: no TLS proxy in front of this gunicorn.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # As in production: the cache (rate limits) in Redis; no task is sent by a GET.
        "REDIS_URL": redis_url,
        # The department head of HEAD_PAGES signs in with her password alone.
        "MFA_REQUIRED": "false",
    }
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


# Signed in as the_head() (issue 19): her overview and the activity she may see. The overview
# itself is never cached; "neu" empties the rest (the activity filters' choices) as for all.
HEAD_PAGES = {
    "Mein Überblick (Dezernent:in)": "/",
    "Aktivitäten, erste Seite": "/aktivitaeten/",
    "Aktivitäten, Seite 10": "/aktivitaeten/?page=10",
    "Aktivitäten, Arbeitsfeld und Art": "/aktivitaeten/?feld=online-dienste&art=initiatives",
}


def the_head() -> tuple[str, int]:
    """The department head of the partner leading the most initiatives (about 700 of the
    50,000; it takes part in more), with the benchmark's password; and how many initiatives
    that partner leads or takes part in. The seeded heads have no password. Needs Django set
    up."""
    from django.db.models import Count, Q

    from initiatives.models import Initiative
    from kooperation.devdata.scale import SCALE_PASSWORD
    from partners.models import Partner, User

    partner = Partner.objects.annotate(led=Count("initiatives_led")).order_by("-led", "pk").first()
    head = User.objects.get(partner=partner, role=User.Role.DEPARTMENT_HEAD)
    if not head.check_password(SCALE_PASSWORD):
        head.set_password(SCALE_PASSWORD)
        head.save(update_fields=["password"])
    initiatives = (
        Initiative.objects.filter(Q(lead_partner=partner) | Q(participations__partner=partner))
        .distinct()
        .count()
    )
    return head.email, initiatives


class Portal:
    """A signed-in browser without a browser: cookies, CSRF token, one request at a time."""

    def __init__(self, base: str, redis_url: str):
        from redis import Redis

        self.base = base
        self.redis = Redis.from_url(redis_url)
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read()

    def sign_in(self, email: str, password: str) -> None:
        self.get("/konto/login/")
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"login": email, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server on the loopback
            self.base + "/konto/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=30) as response:
            body = response.read().decode()
        if "Abmelden" not in body:
            raise SystemExit("Anmelden im Benchmark fehlgeschlagen.")

    def flush_cache(self) -> None:
        self.redis.flushdb()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)


def time_page(portal: Portal, path: str, requests: int, *, fresh: bool) -> dict:
    """Response times of `requests` requests one after the other. fresh: the portal's caches
    are emptied before each request (a bench-only Redis database), so it renders anew."""
    portal.get(path)  # warm: compiled templates, connection
    times = []
    for _ in range(requests):
        if fresh:
            portal.flush_cache()
        url = path
        started = time.perf_counter()
        status, _body = portal.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{url} antwortete {status}")
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": statistics.median(times), "p95": cuts[94], "p99": cuts[98]}


# For wrk: every request one of the 2,500 pages of the list at random, each wrk thread with a
# seed of its own (LuaJIT's generator starts alike in every thread otherwise); the cache is
# emptied before the run. In 30 s some pages still come twice: the run prints how many
# different pages it asked for.
FRESH_LUA = """
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() * 1000 + seed)
  asked = {}
end
function request()
  local page = math.random(1, 2500)
  asked[page] = true
  return wrk.format(nil, wrk.path .. "?page=" .. page)
end
function done(summary, latency, requests)
  local pages = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("asked")
    for page, _ in pairs(seen) do pages[page] = true end
  end
  local different = 0
  for _ in pairs(pages) do different = different + 1 end
  io.write("different pages: " .. different .. "\\n")
end
"""


class Changes:
    """People at work meanwhile: every 1/per_second seconds a comment on one of 2,000 active
    initiatives, saved through the service as the portal saves it, so each one starts a new
    version of the list's cache. Afterwards the comments are deleted and the initiatives' last
    activity is set back: the data set stays as seeded."""

    def __init__(self, per_second: float):
        self.per_second = per_second
        self.made = []
        self.last_activity = {}  # initiative id -> its last activity before the first comment
        self.error = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join()
        from initiatives import caching
        from initiatives.models import Comment, Initiative

        Comment.objects.filter(pk__in=self.made).delete()
        Initiative.objects.bulk_update(
            [Initiative(pk=pk, last_activity_at=at) for pk, at in self.last_activity.items()],
            ["last_activity_at"],
        )
        caching.renew(caching.LIST)  # bulk_update sends no signal
        if self.error:
            raise SystemExit(f"Die Änderungen währenddessen schlugen fehl: {self.error!r}")

    def run(self):
        from django.db import connection

        from initiatives import services
        from initiatives.models import Initiative
        from kooperation.devdata.scale import DETAIL_TITLE, SCALE_STAFF
        from partners.models import User

        try:
            author = User.objects.get(email=SCALE_STAFF)
            active = Initiative.objects.filter(status=Initiative.Status.ACTIVE)
            ids = list(active.exclude(title=DETAIL_TITLE).values_list("pk", flat=True)[:2000])
            choose = random.Random(7).choice  # noqa: S311 - which initiative, not a secret
            due = time.monotonic()
            while not self.stop.is_set():
                initiative = Initiative.objects.get(pk=choose(ids))
                self.last_activity.setdefault(initiative.pk, initiative.last_activity_at)
                comment = services.comment_add(
                    initiative=initiative, author=author, body="Das prüfen wir bei uns auch."
                )
                self.made.append(comment.pk)
                due += 1 / self.per_second
                self.stop.wait(max(0.0, due - time.monotonic()))
        except Exception as error:  # raised again by __exit__, in the benchmark's thread
            self.error = error
        finally:
            connection.close()


def changes_per_second(text: str) -> list[float]:
    try:
        rates = [float(rate) for rate in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("Zahlen durch Komma getrennt, z. B. 1,10") from None
    if any(rate <= 0 for rate in rates):
        raise argparse.ArgumentTypeError("Jede Rate muss größer als 0 sein.")
    return rates


def run_wrk(base: str, path: str, cookie: str, seconds: int, connections: int, *, fresh: bool):
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk fehlt: apt-get install -y wrk")
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"Cookie: {cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(FRESH_LUA)
    if fresh:
        command += ["-s", script.name]
    try:
        result = subprocess.run(  # noqa: S603
            [*command, base + path], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(script.name)
    output = result.stdout
    different = re.search(r"different pages: (\d+)", output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in socket.groups()) if socket else 0
    )
    latency = re.search(r"Latency Distribution\n((?:\s+\d+%.*\n)+)", output)
    spread = " ".join(latency.group(1).split()) if latency else ""
    return {
        "rate": rate,
        "total": total,
        "errors": errors,
        "latency": spread,
        "different": int(different.group(1)) if different else None,
    }


# The floor page: a minimal signed-in page through the same middleware (the imprint).
FLOOR = "Untergrenze: Impressum"
FLOOR_PATH = "/impressum/"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=SCALE_DATABASE_URL,
    )
    parser.add_argument("--requests", type=int, default=200, help="Anfragen je Seite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn-Worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wrk-seconds", type=int, default=30, help="0: ohne wrk")
    parser.add_argument(
        "--only", default="", help="nur Seiten, deren Name dies enthält (mehrere: durch Komma)"
    )
    parser.add_argument(
        "--head-only",
        action="store_true",
        help="nur die Seiten der Dezernent:in (Mein Überblick, Aktivitäten) und die Untergrenze",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--changes-per-second",
        type=changes_per_second,
        default="1,10",
        help="wrk auf dieselbe Adresse, während so viele Kommentare pro Sekunde gespeichert "
        "werden (durch Komma getrennt, je ein Lauf)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/3",
        help="Cache wie in Produktion (eine eigene Datenbank: der Benchmark leert sie)",
    )
    args = parser.parse_args(argv)

    env = environment(args.database_url, args.redis_url)
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()
    from kooperation.devdata.scale import (
        DETAIL_POSITION_TITLE,
        DETAIL_TITLE,
        SCALE_PASSWORD,
        SCALE_STAFF,
    )

    create_database(args.database_url)
    print("Migrieren und (einmal) den bundesweiten Datensatz anlegen …", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    # Before seeding: the seeded positions' letters use the static files' manifest.
    manage(env, "collectstatic", "--no-input", "-v", "0")
    manage(env, "seed_scale")

    import psycopg

    with psycopg.connect(args.database_url) as connection:
        detail = connection.execute(
            "SELECT id FROM initiatives_initiative WHERE title = %s", [DETAIL_TITLE]
        ).fetchone()[0]
        position = connection.execute(
            "SELECT id FROM positions_position WHERE title = %s", [DETAIL_POSITION_TITLE]
        ).fetchone()[0]
    pages = {
        FLOOR: FLOOR_PATH,
        # The introduction was the home page before issue 19; "/" is the staff's overview now.
        "Über die Kooperation": "/ueber/",
        "Startseite (Mein Überblick)": "/",
        "Initiativen, erste Seite": "/initiativen/",
        "Initiativen, gefiltert": "/initiativen/?area=online-dienste&status=active",
        "Initiativen, Seite 500": "/initiativen/?page=500",
        "Volltextsuche „Antrag Wohngeld“": "/initiativen/?q=Antrag+Wohngeld",
        "Initiative mit 200 Kommentaren": f"/initiativen/{detail}/",
        "Partnerverzeichnis, Suche „bach“": "/partner/?q=bach",
        "Gemeinsamkeiten (Matrix)": "/gemeinsamkeiten/",
        "Positionen, erste Seite": "/positionen/",
        "Positionen, Seite 500": "/positionen/?page=500",
        "Positionen, Suche „Stellungnahme Wohngeld“": "/positionen/?q=Stellungnahme+Wohngeld",
        "Position mit 60 Kommentaren": f"/positionen/{position}/",
        "Schreiben der Position (PDF, 5 Seiten)": f"/positionen/{position}/schreiben.pdf",
    }
    head_pages = dict(HEAD_PAGES)
    if args.head_only:
        pages = {FLOOR: FLOOR_PATH}
    if args.only:
        wanted = args.only.lower().split(",")
        pages, head_pages = (
            {name: path for name, path in found.items() if any(w in name.lower() for w in wanted)}
            for found in (pages, head_pages)
        )
        pages = {FLOOR: FLOOR_PATH, **pages}  # the floor always: the ratios' denominator

    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "kooperation.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--error-logfile=-",
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
        portal.sign_in(SCALE_STAFF, SCALE_PASSWORD)
        head = Portal(base, args.redis_url)
        if head_pages:
            email, initiatives = the_head()
            head.sign_in(email, SCALE_PASSWORD)
            status, body = head.get("/")
            if status != 200 or "Mein Überblick".encode() not in body:
                raise SystemExit("Die Anmeldung als Dezernent:in hat nicht geklappt.")
            print(f"Dezernent:in {email}: ihr Partner leitet oder beteiligt sich an {initiatives}")
        print(f"\nAntwortzeiten in ms ({args.requests} Anfragen je Seite, nacheinander)")
        print("  neu: vor jeder Anfrage wird der Cache geleert, die Seite neu gerendert")
        print("  wiederholt: dieselbe Adresse, die Liste kommt aus dem Cache")
        header = f"{'Seite':<36} {'neu p50':>8} {'p95':>6} {'p99':>6}"
        print(f"{header}   {'wiederholt p50':>14} {'p95':>6}   {'neu p50 ÷ Untergrenze':>21}")
        fresh_p50 = {}
        asked = [(name, path, portal) for name, path in pages.items()]
        asked += [(name, path, head) for name, path in head_pages.items()]
        for name, path, browser in asked:
            fresh = time_page(browser, path, args.requests, fresh=True)
            again = time_page(browser, path, args.requests, fresh=False)
            fresh_p50[name] = fresh["p50"]
            print(
                f"{name:<36} {fresh['p50']:8.1f} {fresh['p95']:6.1f} {fresh['p99']:6.1f}"
                f"   {again['p50']:14.1f} {again['p95']:6.1f}"
                f"   {fresh['p50'] / fresh_p50[FLOOR]:21.2f}"
            )
        cookie = portal.cookie_header()
        runs = (
            []
            if args.wrk_seconds == 0
            else [
                ("Untergrenze", FLOOR_PATH, False, 0),
                ("zufällige Seiten, meist neu gerendert", "/initiativen/", True, 0),
                ("Cache", "/initiativen/", False, 0),
            ]
        )
        for rate in args.changes_per_second if runs else ():
            label = f"dieselbe Adresse, {rate:g} Änderungen pro Sekunde"
            runs.append((label, "/initiativen/", False, rate))
        rates = {}
        for label, path, fresh, changes in runs:
            print(
                f"\nDurchsatz ({label}, {path}): wrk, {args.connections} "
                f"Verbindungen, {args.wrk_seconds} s …",
                flush=True,
            )
            if fresh:
                portal.flush_cache()
            with Changes(changes) if changes else contextlib.nullcontext() as writer:
                load = run_wrk(base, path, cookie, args.wrk_seconds, args.connections, fresh=fresh)
            rates[(fresh, changes) if path != FLOOR_PATH else FLOOR] = load["rate"]
            print(
                f"{load['rate']:.0f} Anfragen pro Sekunde, {load['total']} Anfragen, "
                f"{load['errors']} Fehler; Antwortzeiten {load['latency']}"
            )
            if load["different"]:
                print(f"verschiedene Seiten: {load['different']} (der Rest kam aus dem Cache)")
            if writer:
                print(f"gespeicherte Kommentare währenddessen: {len(writer.made)}")
        if runs:
            most = max(args.changes_per_second)
            print(
                f"\nVerhältnis (derselbe Lauf): {most:g} Änderungen/s ÷ ohne Änderungen "
                f"{rates[(False, most)] / rates[(False, 0)]:.0%}; zufällige Seiten ÷ Untergrenze "
                f"{rates[(True, 0)] / rates[FLOOR]:.2f} "
                f"({rates[(True, 0)]:.0f} ÷ {rates[FLOOR]:.0f}/s); "
                "neu p50 ÷ Untergrenze: "
                + ", ".join(
                    f"{name} {p50 / fresh_p50[FLOOR]:.2f}"
                    for name, p50 in fresh_p50.items()
                    if name != FLOOR
                )
            )
        peaks = [peak for _now, peak in children_memory(gunicorn.pid).values()]
        print(f"Höchster Speicher (RSS) je gunicorn-Worker: {', '.join(f'{p} MB' for p in peaks)}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
