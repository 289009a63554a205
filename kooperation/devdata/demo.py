"""Demo data of today's cooperation: Braunschweig, Salzgitter, Wolfsburg and Landkreis Gifhorn.

The department heads are the ones named in the announcements of September 2020 and of Gifhorn's
accession; the staff are invented. Every account has the password DEMO_PASSWORD.
Loading is idempotent: a second run finds everything in place and changes nothing.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from initiatives.models import Area
from kooperation.devdata.demo_history import load_demo_initiatives
from kooperation.devdata.demo_positions import load_demo_positions
from partners.models import AgreementParty, AgreementVersion, EmailDomain, Partner, User

DEMO_PASSWORD = "kooperation-demo"
ADMIN_EMAIL = "admin@demo.example"


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    kind: str
    official_key: str
    website: str
    email_domain: str
    joined_on: datetime.date
    head_name: str
    head_title: str
    staff_name: str
    staff_title: str
    head_portfolio: str = ""


PARTNERS = [
    DemoPartner(
        slug="braunschweig",
        name="Stadt Braunschweig",
        kind=Partner.Kind.KREISFREIE_STADT,
        official_key="03101",
        website="https://www.braunschweig.de",
        email_domain="braunschweig.de",
        joined_on=datetime.date(2020, 9, 29),
        head_name="Dr. Thorsten Kornblum",
        head_title="Stadtrat, Dezernent für Digitalisierung",
        head_portfolio="Digitalisierung",
        staff_name="Anna Becker",
        staff_title="Referentin Digitalisierung",
    ),
    DemoPartner(
        slug="salzgitter",
        name="Stadt Salzgitter",
        kind=Partner.Kind.KREISFREIE_STADT,
        official_key="03102",
        website="https://www.salzgitter.de",
        email_domain="stadt.salzgitter.de",
        joined_on=datetime.date(2020, 9, 29),
        head_name="Jan Erik Bohling",
        head_title="Stadtrat, Dezernent für Wirtschaft, Digitales und Kultur",
        head_portfolio="Wirtschaft, Digitales und Kultur",
        staff_name="Mehmet Yılmaz",
        staff_title="OZG-Koordinator",
    ),
    DemoPartner(
        slug="wolfsburg",
        name="Stadt Wolfsburg",
        kind=Partner.Kind.KREISFREIE_STADT,
        official_key="03103",
        website="https://www.wolfsburg.de",
        email_domain="stadt.wolfsburg.de",
        joined_on=datetime.date(2020, 9, 29),
        head_name="Dennis Weilmann",
        head_title="Erster Stadtrat, Wirtschaftsdezernent",
        head_portfolio="Wirtschaft, Digitalisierung, Smart City",
        staff_name="Julia Schröder",
        staff_title="Projektleiterin Smart City",
    ),
    DemoPartner(
        slug="gifhorn",
        name="Landkreis Gifhorn",
        kind=Partner.Kind.LANDKREIS,
        official_key="03151",
        website="https://www.gifhorn.de",
        email_domain="gifhorn.de",
        # The announcement of the accession names no date; the demo assumes spring 2021.
        joined_on=datetime.date(2021, 4, 1),
        head_name="Dr. Thomas Walter",
        head_title="Erster Kreisrat",
        head_portfolio="Allgemeiner Vertreter des Landrats",
        staff_name="Lukas Hoffmann",
        staff_title="Digitalisierungsbeauftragter",
    ),
]

AREAS = [
    (
        "basisdienste",
        "Basisdienste",
        "Gemeinsam genutzte Grundlagen: Servicekonto, E-Payment, Postfach, Formularserver, "
        "elektronische Akte.",
    ),
    (
        "online-dienste",
        "Online-Dienste",
        "Verwaltungsleistungen, die Bürgerinnen, Bürger und Unternehmen online beantragen "
        "können – die Umsetzung des OZG.",
    ),
    (
        "fachverfahren",
        "Fachverfahren",
        "Die Software der Fachämter, etwa für Einwohnerwesen, Bauaufsicht oder Sozialleistungen, "
        "und ihre gemeinsame Beschaffung und Weiterentwicklung.",
    ),
    (
        "schnittstellen",
        "Schnittstellen",
        "Standards und Anbindungen zwischen Online-Diensten und Fachverfahren, etwa XBau, "
        "XMeld oder FIT-Connect.",
    ),
]


def demo_accounts() -> list[tuple[str, str]]:
    """(e-mail, what the account is) of every demo login, for README and `make run`."""
    accounts = [(ADMIN_EMAIL, "Geschäftsstelle (Verwaltung)")]
    for partner in PARTNERS:
        accounts.append(
            (
                f"dezernat.{partner.slug}@demo.example",
                f"{partner.head_name}, Dezernent:in, {partner.name}",
            )
        )
        accounts.append(
            (
                f"team.{partner.slug}@demo.example",
                f"{partner.staff_name}, Mitarbeiter:in, {partner.name}",
            )
        )
    return accounts


LETTER_OF_INTENT = """\
## Präambel

Die Städte Braunschweig, Salzgitter und Wolfsburg wollen den Weg hin zu einer modernen, digitalen
Verwaltung nicht allein gehen. Um Synergien zu schaffen und von gegenseitigen Erfahrungen zu
profitieren, vereinbaren sie eine interkommunale Kooperation.

## § 1 Ziel

Die Partner intensivieren ihre Zusammenarbeit und ihren Austausch, um IT-Lösungen gemeinsam
nutzen zu können. Nicht jeder muss das Rad neu erfinden.

## § 2 Gegenstand

Die an der Digitalisierung der Verwaltung beteiligten Stellen tauschen sich eng und offen aus.
Sie identifizieren Gemeinsamkeiten in den Bereichen

- Basisdienste,
- Online-Dienste,
- Fachverfahren und
- Schnittstellen

und entwickeln auf dieser Grundlage gemeinsame Initiativen, insbesondere zur Umsetzung des
Onlinezugangsgesetzes (OZG).

## § 3 Gemeinsames Auftreten

Die Partner treten gemeinsam gegenüber anderen Ebenen wie dem Land oder den kommunalen
IT-Dienstleistern auf.

## § 4 Weitere Partner

Die Kooperation ist offen für weitere interessierte Partner aus der Region. Über einen Beitritt
entscheiden die Partner einstimmig.
"""

ACCESSION_OF_GIFHORN = LETTER_OF_INTENT.replace(
    "Die Städte Braunschweig, Salzgitter und Wolfsburg wollen",
    "Die Städte Braunschweig, Salzgitter und Wolfsburg und der Landkreis Gifhorn wollen",
).replace(
    "## § 4 Weitere Partner",
    "## § 4 Beitritt des Landkreises Gifhorn\n\n"
    "Der Landkreis Gifhorn tritt der Kooperation als weiterer Partner bei. Die betroffenen\n"
    "Prozesse sind gebietskörperschaftsübergreifend die gleichen.\n\n"
    "## § 5 Weitere Partner",
)

AGREEMENT_VERSIONS = [
    (
        "Letter of Intent: Interkommunale Kooperation Digitalisierung",
        LETTER_OF_INTENT,
        datetime.date(2020, 9, 29),
        ["braunschweig", "salzgitter", "wolfsburg"],
    ),
    (
        "Kooperationsvereinbarung mit Beitritt des Landkreises Gifhorn",
        ACCESSION_OF_GIFHORN,
        datetime.date(2021, 4, 1),
        ["braunschweig", "salzgitter", "wolfsburg", "gifhorn"],
    ),
]


def _ensure_agreement_versions() -> None:
    heads = {demo.slug: demo for demo in PARTNERS}
    previous = None
    for number, (title, text, signed_on, slugs) in enumerate(AGREEMENT_VERSIONS, start=1):
        is_last = number == len(AGREEMENT_VERSIONS)
        version, created = AgreementVersion.objects.get_or_create(
            title=title,
            defaults={
                "text": text,
                "effective_on": signed_on,
                "previous": previous,
                "status": (
                    AgreementVersion.Status.IN_FORCE
                    if is_last
                    else AgreementVersion.Status.SUPERSEDED
                ),
            },
        )
        if created:
            for slug in slugs:
                AgreementParty.objects.create(
                    version=version,
                    partner=Partner.objects.get(slug=slug),
                    signatory_name=heads[slug].head_name,
                    signatory_role=heads[slug].head_title,
                    signed_on=signed_on,
                )
        previous = version


def _ensure_person(*, email: str, name: str, job_title: str = "", partner=None, role, **flags):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email, name=name, job_title=job_title, partner=partner, role=role, **flags
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load_demo_data() -> None:
    for position, (slug, name, description) in enumerate(AREAS, start=1):
        Area.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for demo in PARTNERS:
        partner, _created = Partner.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "kind": demo.kind,
                "official_key": demo.official_key,
                "website": demo.website,
                "status": Partner.Status.MEMBER,
                "joined_on": demo.joined_on,
            },
        )
        EmailDomain.objects.get_or_create(partner=partner, domain=demo.email_domain)
        _ensure_person(
            email=f"dezernat.{demo.slug}@demo.example",
            name=demo.head_name,
            job_title=demo.head_title,
            partner=partner,
            role=User.Role.DEPARTMENT_HEAD,
            portfolio=demo.head_portfolio,
        )
        _ensure_person(
            email=f"team.{demo.slug}@demo.example",
            name=demo.staff_name,
            job_title=demo.staff_title,
            partner=partner,
            role=User.Role.STAFF,
        )
    _ensure_person(
        email=ADMIN_EMAIL,
        name="Geschäftsstelle der Kooperation",
        job_title="Administration",
        role=User.Role.STAFF,
        is_staff=True,
        is_superuser=True,
    )
    _ensure_agreement_versions()
    load_demo_initiatives()
    load_demo_positions()
