"""A national data set: every German municipality in one cooperation (issue: national scale).

`python manage.py seed_scale` fills an empty database with 11,000 partners, 100,000 people,
50,000 initiatives and their participations, steps, comments, follows and solutions, 500
applications to join with votes – activity spread over two years, German text that the
full-text search finds. It writes with bulk inserts, one table after the other, and is
repeatable: the same counts give the same data (random.Random(42)).

One initiative – "Antrag auf Wohngeld online – gemeinsamer Online-Dienst" – has exactly
200 comments, for the benchmark of the detail page; `staff@scale.example` (password
SCALE_PASSWORD) is staff of the first partner, for the benchmarks to sign in.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from initiatives.models import (
    Area,
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from kooperation.devdata.demo import AREAS
from partners.models import Application, ApplicationEvent, Partner, User, Vote

SCALE_PASSWORD = "kooperation-skala"  # noqa: S105 - a documented benchmark account
SCALE_STAFF = "staff@scale.example"
DETAIL_TITLE = "Antrag auf Wohngeld online – gemeinsamer Online-Dienst"
DETAIL_COMMENTS = 200
BATCH = 5000


@dataclass
class Counts:
    partners: int = 11_000
    people: int = 100_000
    initiatives: int = 50_000
    participations: int = 200_000
    comments: int = 500_000
    solutions: int = 30_000
    applications: int = 500
    follows: int = 200_000


# Words for names and texts. Services are OZG-Leistungen people look for.
SERVICES = [
    "Wohngeld", "Elterngeld", "Kita-Platz", "Hundesteuer", "Meldebescheinigung",
    "Gewerbeanmeldung", "Bauantrag", "Baugenehmigung", "Personalausweis", "Reisepass",
    "Kfz-Zulassung", "Führerschein", "Bewohnerparkausweis", "Sondernutzungserlaubnis",
    "Einbürgerung", "BAföG", "Wohnberechtigungsschein", "Fischereischein", "Waffenschein",
    "Schwerbehindertenausweis", "Eheschließung", "Geburtsurkunde", "Sterbeurkunde",
    "Grundsteuer", "Gaststättenerlaubnis", "Sperrmüll", "Schülerbeförderung", "Unterhaltsvorschuss",
    "Bürgergeld", "Hilfe zur Pflege", "Aufenthaltstitel", "Wahlschein", "Führungszeugnis",
    "Baumfällgenehmigung", "Veranstaltungsanzeige", "Straßensperrung", "Wohnsitzanmeldung",
]  # fmt: skip
PATTERNS = [
    "Antrag auf {s} online",
    "{s} digital beantragen",
    "Gemeinsamer Online-Dienst {s}",
    "Nachnutzung EfA-Leistung {s}",
    "Fachverfahren {s} ablösen",
    "Schnittstelle {s} an FIT-Connect",
    "E-Akte für {s}",
    "Bezahlen von {s} mit ePayBL",
    "Servicekonto-Anbindung {s}",
    "Bescheid {s} ins Postfach",
]
SUFFIXES = ["", " – Stufe 2", " im Landkreis", " (Pilot)", " – gemeinsame Beschaffung"]
SENTENCES = [
    "Bürgerinnen und Bürger stellen den Antrag vollständig online, ohne Termin im Rathaus.",
    "Die Daten gehen über FIT-Connect direkt in das Fachverfahren des Amtes.",
    "Die Bezahlung läuft über ePayBL; der Bescheid kommt in das Postfach der BundID.",
    "Wir nutzen die EfA-Leistung eines anderen Landes nach und passen sie an.",
    "Die Sachbearbeitung prüft den Antrag in der E-Akte und entscheidet medienbruchfrei.",
    "Ziel ist eine gemeinsame Ausschreibung, damit jede Kommune weniger Aufwand hat.",
    "Die Schnittstelle folgt dem XÖV-Standard und wird von allen Partnern betrieben.",
    "Die Online-Dienste sollen barrierefrei nach BITV 2.0 sein.",
    "Der Datenschutz wird mit den Datenschutzbeauftragten der Partner abgestimmt.",
    "Die Kosten teilen sich die beteiligten Partner nach Einwohnerzahl.",
]
COMMENTS = [
    "Wir sind dabei und bringen Erfahrung aus unserem Pilotprojekt mit.",
    "Bei uns läuft das Fachverfahren schon; die Schnittstelle fehlt noch.",
    "Können wir das im nächsten Arbeitskreis besprechen?",
    "Unser Rechenzentrum kann den Betrieb übernehmen.",
    "Der Antrag auf Wohngeld ist bei uns der häufigste Online-Antrag.",
    "Die Ausschreibung sollten wir gemeinsam vorbereiten.",
    "Gibt es schon eine Kostenschätzung?",
    "Wir haben gute Erfahrungen mit ePayBL gemacht.",
]
PLACES = [
    "Ahrens", "Bergen", "Linden", "Rosen", "Eichen", "Buchen", "Wald", "Mühl", "Stein",
    "Hohen", "Sonnen", "Feld", "Brunn", "Kirch", "Holz", "Wiesen", "Burg", "Hagen", "Lauen",
    "Wester", "Oster", "Süder", "Norder", "Marien", "Friedrichs", "Ludwigs", "Karls", "Georgs",
]  # fmt: skip
ENDINGS = [
    "bach", "dorf", "feld", "hausen", "heim", "stedt", "burg", "au", "ingen", "rode",
    "berg", "hagen", "brück", "walde", "born", "leben", "beck", "horst", "wede", "hude",
]  # fmt: skip
PREFIXES = ["", "", "", "Ober", "Nieder", "Alt", "Neu", "Groß", "Klein", "Bad "]
FIRST_NAMES = [
    "Anna", "Lena", "Julia", "Sarah", "Laura", "Marie", "Sophie", "Katharina", "Nina",
    "Lukas", "Jan", "Felix", "Paul", "Jonas", "Tim", "Michael", "Thomas", "Stefan", "Mehmet",
    "Ayşe", "Olga", "Piotr", "Elif", "Ali", "Frieda", "Hans", "Petra", "Sabine", "Uwe",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Yılmaz", "Kaya", "Nowak", "Braun", "Zimmermann", "Krüger", "Hartmann",
]  # fmt: skip
PRODUCTS = {
    "basisdienste": [
        "ePayBL", "BundID", "Nutzerkonto Niedersachsen", "Formularserver Form-Solutions",
        "cit intelliForm", "d.velop", "enaio", "VIS-Suite", "regisafe", "Governikus",
    ],
    "online-dienste": [
        "Antragsmanagement Civento", "OZG-Hub", "Serviceportal Zuständigkeitsfinder",
        "Online-Terminvergabe TEVIS", "Wohngeld-Digital", "ELFE", "Kita-Navigator",
        "i-Kfz", "Bauportal", "Gewerbe-Online",
    ],
    "fachverfahren": [
        "OK.EWO", "PROSOZ", "AKDN-sozial", "VOIS", "ProBauG", "OK.VORFAHRT", "H&H proDoppik",
        "SAP für Kommunen", "KM-Kita", "AUTISTA",
    ],
    "schnittstellen": [
        "FIT-Connect", "XBau", "XMeld", "XKita", "XFall", "OSCI", "XInneres",
        "Zustellung DVDV", "XÖV-Bibliothek", "XRechnung",
    ],
}  # fmt: skip


def _bulk(model, objects, **kwargs):
    return model.objects.bulk_create(objects, batch_size=BATCH, **kwargs)


def already_seeded() -> bool:
    return User.objects.filter(email=SCALE_STAFF).exists()


def seed(counts: Counts, *, say=print) -> dict:
    """Fills the database; returns the number of rows per table."""
    rng = random.Random(42)  # noqa: S311 - repeatable data, not security
    now = timezone.now()
    two_years = 730 * 24 * 3600

    def moment(after=None):
        start = after or now - timedelta(seconds=two_years)
        span = max(1, int((now - start).total_seconds()) - 60)
        return start + timedelta(seconds=rng.randint(1, span))

    areas = []
    for position, (slug, name, description) in enumerate(AREAS, start=1):
        area, _ = Area.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        areas.append(area)

    say("Partner …")
    partners = _bulk(Partner, list(_partners(rng, counts.partners, now)))
    # Larger places have more staff: a few partners get many people, most get few.
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(partners))))

    def some_partner():
        return rng.choices(partners, cum_weights=weights)[0]

    say("Personen …")
    no_password = make_password(None)
    people = [
        User(
            email=SCALE_STAFF,
            name="Sina Skala",
            partner=partners[0],
            role=User.Role.STAFF,
            password=make_password(SCALE_PASSWORD),
            date_joined=now - timedelta(days=730),
        )
    ]
    for number, partner in enumerate(partners):
        if len(people) >= counts.people:
            break
        people.append(_person(rng, number, partner, User.Role.DEPARTMENT_HEAD, no_password, now))
    staff_partners = rng.choices(
        partners, cum_weights=weights, k=max(0, counts.people - len(people))
    )
    for number, partner in enumerate(staff_partners, start=len(people)):
        people.append(_person(rng, number, partner, User.Role.STAFF, no_password, now))
    people = _bulk(User, people)
    _bulk(
        EmailAddress,
        [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people],
    )
    by_partner: dict[int, list[User]] = {}
    for person in people:
        by_partner.setdefault(person.partner_id, []).append(person)
    heads = {p.partner_id: p for p in people if p.role == User.Role.DEPARTMENT_HEAD}

    say("Initiativen …")
    initiatives = []
    statuses = (
        [Initiative.Status.PROPOSED] * 30
        + [Initiative.Status.ACTIVE] * 35
        + [Initiative.Status.PAUSED] * 10
        + [Initiative.Status.COMPLETED] * 20
        + [Initiative.Status.WITHDRAWN] * 5
    )
    for number in range(counts.initiatives):
        lead = partners[0] if number == 0 else some_partner()
        service = rng.choice(SERVICES)
        title = (
            DETAIL_TITLE
            if number == 0
            else rng.choice(PATTERNS).format(s=service) + rng.choice(SUFFIXES)
        )
        created = moment()
        initiatives.append(
            Initiative(
                title=title[:200],
                summary=f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}",
                description="\n\n".join(" ".join(rng.sample(SENTENCES, 4)) for _ in range(3)),
                area=areas[number % len(areas)] if number else areas[1],
                lead_partner=lead,
                proposer=rng.choice(by_partner.get(lead.pk) or people),
                status=Initiative.Status.ACTIVE if number == 0 else rng.choice(statuses),
                ozg_reference=service if rng.random() < 0.6 else "",
                created_at=created,
                last_activity_at=moment(created),
            )
        )
    initiatives = _bulk(Initiative, initiatives)

    say("Beteiligungen und Verlauf …")
    events = [
        InitiativeEvent(
            initiative=i,
            kind=InitiativeEvent.Kind.PROPOSED,
            partner=i.lead_partner,
            actor=i.proposer,
            created_at=i.created_at,
        )
        for i in initiatives
    ]
    taken = set()
    participations = []
    stages = [Participation.Stage.INTERESTED] * 3 + [Participation.Stage.COMMITTED] * 5
    stages += [Participation.Stage.ADOPTED, Participation.Stage.DECLINED]
    kinds = {
        Participation.Stage.INTERESTED: InitiativeEvent.Kind.INTERESTED,
        Participation.Stage.COMMITTED: InitiativeEvent.Kind.COMMITTED,
        Participation.Stage.ADOPTED: InitiativeEvent.Kind.ADOPTED,
        Participation.Stage.DECLINED: InitiativeEvent.Kind.DECLINED,
    }
    for i in initiatives:  # the lead takes part in its own initiative
        taken.add((i.pk, i.lead_partner_id))
        participations.append(
            Participation(
                initiative=i,
                partner_id=i.lead_partner_id,
                stage=Participation.Stage.COMMITTED,
                changed_by=heads.get(i.lead_partner_id),
                changed_at=i.created_at,
            )
        )
    while len(participations) < counts.participations:
        i = rng.choice(initiatives)
        partner = some_partner()
        if (i.pk, partner.pk) in taken:
            continue
        taken.add((i.pk, partner.pk))
        stage, when = rng.choice(stages), moment(i.created_at)
        head = heads.get(partner.pk)
        participations.append(
            Participation(
                initiative=i, partner=partner, stage=stage, changed_by=head, changed_at=when
            )
        )
        events.append(
            InitiativeEvent(
                initiative=i, kind=kinds[stage], partner=partner, actor=head, created_at=when
            )
        )
    _bulk(Participation, participations)
    _bulk(InitiativeEvent, events)

    say("Kommentare …")
    first = initiatives[0]
    _bulk(
        Comment,
        [
            _comment(rng, first, rng.choice(people), moment(first.created_at))
            for _ in range(min(DETAIL_COMMENTS, counts.comments))
        ],
    )
    others = initiatives[1:] or initiatives
    left = counts.comments - min(DETAIL_COMMENTS, counts.comments)
    while left > 0:  # in chunks: half a million model instances at once would need gigabytes
        chunk = min(left, 50_000)
        comments = []
        for _ in range(chunk):
            i = rng.choice(others)
            comments.append(_comment(rng, i, rng.choice(people), moment(i.created_at)))
        _bulk(Comment, comments)
        left -= chunk

    say("Folgen …")
    follows = {(i.pk, i.proposer_id) for i in initiatives if i.proposer_id}
    while len(follows) < counts.follows:
        follows.add((rng.choice(initiatives).pk, rng.choice(people).pk))
    _bulk(Follow, [Follow(initiative_id=i, user_id=u) for i, u in follows], ignore_conflicts=True)

    say("Lösungen …")
    solutions = {}
    products = [(area, product) for area in areas for product in PRODUCTS[area.slug]]
    # Some products are everywhere, most in a few places: the common ground has overlaps.
    product_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(products))))
    while len(solutions) < counts.solutions:
        partner = rng.choice(partners)
        area, product = rng.choices(products, cum_weights=product_weights)[0]
        key = (partner.pk, area.pk, product.casefold())
        solutions[key] = Solution(
            partner=partner,
            area=area,
            product=product,
            product_key=product.casefold(),
            vendor="",
            recorded_by=heads.get(partner.pk),
            created_at=moment(),
        )
    _bulk(Solution, list(solutions.values()))

    say("Beitrittsanträge …")
    _applications(rng, counts.applications, partners, heads, moment, now)

    return table_sizes()


def table_sizes() -> dict:
    return {
        model._meta.verbose_name_plural: model.objects.count()
        for model in [
            Partner,
            User,
            Initiative,
            Participation,
            InitiativeEvent,
            Comment,
            Follow,
            Solution,
            Application,
            Vote,
        ]
    }


def _partners(rng, count, now):
    names = set()
    keys = set()
    kinds = [Partner.Kind.GEMEINDE] * 8 + [Partner.Kind.STADT] * 3
    kinds += [Partner.Kind.GEMEINDEVERBAND, Partner.Kind.LANDKREIS]
    for number in range(count):
        while True:
            name = rng.choice(PREFIXES) + rng.choice(PLACES) + rng.choice(ENDINGS)
            kind = rng.choice(kinds)
            label = {
                Partner.Kind.GEMEINDE: "Gemeinde",
                Partner.Kind.STADT: "Stadt",
                Partner.Kind.GEMEINDEVERBAND: "Samtgemeinde",
                Partner.Kind.LANDKREIS: "Landkreis",
            }[kind]
            full = f"{label} {name}"
            if full in names:
                full = f"{full} ({number})"
            land = rng.randint(1, 16)
            key = (
                f"{land:02d}{rng.randint(100, 999)}"
                if kind == Partner.Kind.LANDKREIS
                else f"{land:02d}{rng.randint(0, 999999):06d}"
            )
            if key not in keys:
                break
        names.add(full)
        keys.add(key)
        yield Partner(
            name=full,
            slug=f"{slugify(full)[:60]}-{number}",
            kind=kind,
            official_key=key,
            status=Partner.Status.MEMBER if rng.random() < 0.98 else Partner.Status.FORMER,
            joined_on=(now - timedelta(days=rng.randint(30, 2000))).date(),
        )


def _person(rng, number, partner, role, password, now):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return User(
        email=f"{slugify(first)}.{slugify(last)}.{number}@{partner.slug}.example",
        name=f"{first} {last}",
        partner=partner,
        role=role,
        job_title="Dezernat Digitalisierung" if role == User.Role.DEPARTMENT_HEAD else "",
        password=password,
        date_joined=now - timedelta(days=rng.randint(1, 730)),
    )


def _comment(rng, initiative, author, when):
    return Comment(
        initiative=initiative,
        author=author,
        partner_id=author.partner_id,
        body=rng.choice(COMMENTS),
        created_at=when,
    )


def _applications(rng, count, partners, heads, moment, now):
    """Applications of the past (decided, each with the votes of its electorate of then)
    and a few pending ones, on which every member may vote."""
    members = [p for p in partners if p.status == Partner.Status.MEMBER]
    used_keys = set(Partner.objects.values_list("official_key", flat=True))
    applications, electorates, votes, events = [], [], [], []
    pending = min(20, count)
    for number in range(count):
        is_pending = number < pending
        while True:
            key = f"{rng.randint(1, 16):02d}{rng.randint(0, 999999):06d}"
            if key not in used_keys:
                used_keys.add(key)
                break
        submitted = moment(now - timedelta(days=20)) if is_pending else moment()
        status = (
            Application.Status.PENDING
            if is_pending
            else rng.choice([Application.Status.ADMITTED] * 3 + [Application.Status.REJECTED])
        )
        name = f"Gemeinde {rng.choice(PLACES)}{rng.choice(ENDINGS)} ({number})"
        application = Application(
            name=name,
            kind=Partner.Kind.GEMEINDE,
            official_key=key,
            contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            contact_email=f"antrag{number}@bewerbung.example",
            motivation="Wir möchten unsere Online-Dienste gemeinsam mit den Partnern entwickeln.",
            status=status,
            submitted_at=submitted,
            decided_at=None if is_pending else moment(submitted),
        )
        applications.append(application)
        electorate = rng.sample(members, min(len(members), 200 if is_pending else 30))
        electorates.append(electorate)
    applications = _bulk(Application, applications)
    through = Application.electorate.through
    rows = []
    for application, electorate in zip(applications, electorates, strict=True):
        rows += [through(application=application, partner=p) for p in electorate]
        voters = electorate if not application.is_pending else electorate[: len(electorate) // 3]
        for partner in voters:
            votes.append(
                Vote(
                    application=application,
                    partner=partner,
                    voter=heads.get(partner.pk),
                    approve=application.status != Application.Status.REJECTED or rng.random() < 0.5,
                    cast_at=application.submitted_at + timedelta(days=rng.randint(0, 10)),
                )
            )
        events.append(
            ApplicationEvent(
                application=application,
                kind=ApplicationEvent.Kind.SUBMITTED,
                created_at=application.submitted_at,
            )
        )
    _bulk(through, rows)
    _bulk(Vote, votes)
    _bulk(ApplicationEvent, events)
