"""Demo positions of today's cooperation, played through the services: one sent to the Land and
answered, one in Mitzeichnung waiting for Gifhorn, one draft. Addressees are invented and marked
as demo entries; nothing here reports real events."""

import datetime

from django.db import transaction
from django.utils import timezone

from initiatives import discussion
from initiatives.models import Area
from partners.models import User
from positions import services
from positions.discussion import POSITIONS
from positions.models import Addressee, Position

ADDRESSEES = [
    (
        "Niedersächsisches Ministerium für Digitales (Demo)",
        Addressee.Kind.LAND,
        "Referat Verwaltungsdigitalisierung\nPostfach 1 00 00\n30001 Hannover",
        "referat-digitalisierung@land.example",
    ),
    (
        "Kommunaler IT-Dienstleister Nord (Demo)",
        Addressee.Kind.IT_PROVIDER,
        "Produktmanagement Meldewesen\nMusterstraße 1\n38100 Braunschweig",
        "produktmanagement@it-nord.example",
    ),
    (
        "Bundesministerium für Verwaltungsdigitalisierung (Demo)",
        Addressee.Kind.BUND,
        "Abteilung Digitale Verwaltung\n11011 Berlin",
        "",
    ),
]

ANSWERED = "Stellungnahme zum Entwurf des Gesetzes zur digitalen Verwaltung in Niedersachsen"
COSIGNING = "Offene Schnittstelle des Meldeverfahrens zu den Online-Diensten"
DRAFT = "Einheitliche Standards für den Austausch elektronischer Akten"


def head(slug):
    return f"dezernat.{slug}@demo.example"


def team(slug):
    return f"team.{slug}@demo.example"


@transaction.atomic
def load_demo_positions() -> None:
    """Needs the demo partners, people and fields of work; changes nothing the second time."""
    addressees = {
        name: Addressee.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "postal_address": address, "email": email, "is_demo": True},
        )[0]
        for name, kind, address, email in ADDRESSEES
    }
    land, provider, bund = addressees.values()
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.example")}
    areas = {area.slug: area for area in Area.objects.all()}
    existing = set(Position.objects.values_list("title", flat=True))
    today = timezone.localdate()

    def draft(title, author, addressee, area, occasion, text):
        return services.position_propose(
            proposer=people[author],
            title=title,
            occasion=occasion,
            text=text,
            addressees=[addressee],
            areas=[areas[area]] if area in areas else [],
        )

    if ANSWERED not in existing:
        position = draft(
            ANSWERED,
            team("braunschweig"),
            land,
            "basisdienste",
            "Verbandsanhörung des Landes zum Gesetzentwurf",
            "## Zusammenfassung\n\nDie Partner begrüßen, dass das Land Basisdienste wie das "
            "Servicekonto **zentral** bereitstellen will.\n\n## Unsere Bitten\n\n"
            "1. Übergangsfristen, die kommunale Vergaben berücksichtigen.\n"
            "2. Offene Schnittstellen für die Anbindung kommunaler Fachverfahren.\n"
            "3. Eine Kostenfolgenabschätzung für die Kommunen.",
        )
        heads = [head(slug) for slug in ("braunschweig", "salzgitter", "wolfsburg", "gifhorn")]
        lead = people[heads[0]]
        services.position_open(position=position, actor=lead, deadline=today)
        for email in heads:
            services.cosignature_decide(position=position, actor=people[email], signs=True)
        sent_on = today - datetime.timedelta(days=21)
        services.position_send(position=position, actor=lead, via="post", sent_on=sent_on)
        services.answer_record(
            position=position,
            actor=people[team("braunschweig")],
            received_on=today - datetime.timedelta(days=4),
            reference="Demo-Az. 11-05012",
            summary="Das Land dankt für die Stellungnahme und prüft die **Übergangsfristen**.",
        )
        services.position_publish(position=position, actor=lead)

    if COSIGNING not in existing:
        position = draft(
            COSIGNING,
            team("salzgitter"),
            provider,
            "schnittstellen",
            "Anfrage zur Produktplanung des Meldeverfahrens",
            "Die Partner bitten, die Schnittstelle des Meldeverfahrens zu den Online-Diensten "
            "offen zu dokumentieren und einen Termin für ihre Bereitstellung zu nennen.",
        )
        for author, body in (
            (team("gifhorn"), "Können wir die Frist für die Antwort des Dienstleisters nennen?"),
            (team("salzgitter"), "Gern – ich ergänze „bis zum Ende des Quartals“."),
        ):
            discussion.comment_add(
                discussion=POSITIONS, subject=position, author=people[author], body=body
            )
        lead = people[head("salzgitter")]
        services.position_open(
            position=position, actor=lead, deadline=today + datetime.timedelta(days=10)
        )
        for slug in ("salzgitter", "braunschweig", "wolfsburg"):
            services.cosignature_decide(position=position, actor=people[head(slug)], signs=True)

    if DRAFT not in existing:
        draft(
            DRAFT,
            team("wolfsburg"),
            bund,
            "fachverfahren",
            "Forderung an den Bund",
            "Entwurf: Die Partner fordern verbindliche Standards für den Austausch "
            "elektronischer Akten zwischen Verwaltungen.",
        )
