"""Demo initiatives, discussion and recorded solutions of today's cooperation (the data;
demo_history.py plays it through the services)."""

import datetime
from dataclasses import dataclass, field

from initiatives.models import (
    Initiative,
    Participation,
)

Stage = Participation.Stage
Status = Initiative.Status


def head(slug: str) -> str:
    return f"dezernat.{slug}@demo.example"


def team(slug: str) -> str:
    return f"team.{slug}@demo.example"


# Steps of an initiative's history, in order: ("stage", who, stage), ("status", who, status),
# ("comment", who, text), ("follow", who), ("withdraw", who).


@dataclass(frozen=True)
class DemoInitiative:
    title: str
    area: str
    proposer: str
    summary: str
    description: str
    days_ago: int  # when it was proposed; its steps follow until `last_step_days_ago`
    last_step_days_ago: int = 0
    ozg_reference: str = ""
    target_date: datetime.date | None = None
    steps: list = field(default_factory=list)


INITIATIVES = [
    DemoInitiative(
        title="Gemeinsames E-Payment mit ePayBL",
        area="basisdienste",
        proposer=team("braunschweig"),
        summary="Alle Online-Dienste der Partner nehmen Zahlungen über dieselbe "
        "ePayBL-Plattform an: Kreditkarte, giropay, PayPal und Lastschrift.",
        description="""\
Gebühren für Online-Dienste werden heute bei jedem Partner anders abgewickelt. Wir binden
**ePayBL** einmal gemeinsam an und teilen uns

- die Anbindung an die Finanzsoftware (Kassenverfahren),
- die Verträge mit dem Payment-Provider,
- die Dokumentation für die Fachämter.

Ergebnis: jeder neue Online-Dienst kann ohne eigene Zahlungsanbindung starten.
""",
        days_ago=120,
        last_step_days_ago=3,
        target_date=datetime.date(2027, 6, 30),
        steps=[
            ("stage", head("braunschweig"), Stage.COMMITTED),
            (
                "comment",
                team("salzgitter"),
                "Salzgitter nutzt ePayBL bereits für die "
                "Hundesteuer – wir bringen unsere Erfahrungen gern ein.",
            ),
            ("stage", head("salzgitter"), Stage.COMMITTED),
            ("stage", head("wolfsburg"), Stage.COMMITTED),
            ("stage", team("gifhorn"), Stage.INTERESTED),
            (
                "comment",
                team("gifhorn"),
                "Der Landkreis prüft noch, ob das Kassenverfahren "
                "von **H&H** unterstützt wird. Gibt es dazu schon Erfahrungen?",
            ),
            (
                "comment",
                team("braunschweig"),
                "Ja, Braunschweig hat die Schnittstelle zu H&H "
                "im Frühjahr getestet. Die Testprotokolle liegen im gemeinsamen Laufwerk.",
            ),
        ],
    ),
    DemoInitiative(
        title="Anbindung an das Nutzerkonto Bund (BundID)",
        area="basisdienste",
        proposer=head("wolfsburg"),
        summary="Bürgerinnen und Bürger melden sich bei allen Online-Diensten der Partner "
        "mit der BundID an – auch mit dem Online-Ausweis.",
        description="""\
Die BundID ist das zentrale Nutzerkonto für Online-Dienste. Wolfsburg und Gifhorn haben die
Anbindung gemeinsam umgesetzt; die Konfiguration steht allen Partnern zur **Nachnutzung**
bereit.
""",
        days_ago=300,
        last_step_days_ago=40,
        steps=[
            ("stage", head("wolfsburg"), Stage.COMMITTED),
            ("stage", head("gifhorn"), Stage.COMMITTED),
            ("stage", team("salzgitter"), Stage.INTERESTED),
            ("comment", team("wolfsburg"), "Die Anbindung läuft seit heute im Echtbetrieb."),
            ("stage", head("wolfsburg"), Stage.ADOPTED),
            ("stage", head("gifhorn"), Stage.ADOPTED),
            ("status", head("wolfsburg"), Status.COMPLETED),
        ],
    ),
    DemoInitiative(
        title="Wohngeld digital beantragen",
        area="online-dienste",
        proposer=team("salzgitter"),
        summary="Der Wohngeldantrag wird online gestellt und landet strukturiert im "
        "Fachverfahren der Wohngeldstelle.",
        description="""\
Wohngeldanträge sind lang und werden oft unvollständig eingereicht. Ein gemeinsamer
Online-Antrag nach dem *Einer-für-Alle*-Prinzip mit Plausibilitätsprüfung entlastet die
Wohngeldstellen aller Partner.
""",
        days_ago=21,
        last_step_days_ago=2,
        ozg_reference="Wohngeld",
        steps=[
            ("stage", team("braunschweig"), Stage.INTERESTED),
            (
                "comment",
                team("braunschweig"),
                "Braunschweig hat 2025 über 6.000 Anträge bearbeitet – der Bedarf ist groß.",
            ),
            ("follow", team("wolfsburg")),
        ],
    ),
    DemoInitiative(
        title="Kita-Platz online anmelden",
        area="online-dienste",
        proposer=team("gifhorn"),
        summary="Eltern melden den Bedarf an einem Betreuungsplatz online an, für alle "
        "Einrichtungen auf einmal.",
        description="""\
Ein gemeinsames Vormerkportal für Kita- und Krippenplätze. Die Träger sehen die Anmeldungen
in ihrem Fachverfahren; Doppelanmeldungen fallen weg.
""",
        days_ago=160,
        last_step_days_ago=10,
        ozg_reference="Kita-Platz",
        steps=[
            ("stage", head("gifhorn"), Stage.COMMITTED),
            ("stage", head("wolfsburg"), Stage.COMMITTED),
            (
                "comment",
                team("wolfsburg"),
                "Wir warten auf die neue Version des Fachverfahrens, "
                "vorher lohnt die Anbindung nicht.",
            ),
            ("status", head("gifhorn"), Status.PAUSED),
        ],
    ),
    DemoInitiative(
        title="Bauantrag online mit XBau",
        area="schnittstellen",
        proposer=team("braunschweig"),
        summary="Bauanträge kommen über das Onlinezugangsgesetz-Portal als XBau-Nachricht "
        "direkt ins Fachverfahren der Bauaufsicht.",
        description="""\
Das digitale Baugenehmigungsverfahren (EfA-Leistung aus Mecklenburg-Vorpommern) liefert die
Anträge im Standard **XBau**. Wir schließen die Bauaufsichten der Partner gemeinsam an.

1. Anbindung des Fachverfahrens an XBau
2. Übermittlung über FIT-Connect
3. Schulung der Sachbearbeitung
""",
        days_ago=90,
        last_step_days_ago=5,
        ozg_reference="Baugenehmigung",
        target_date=datetime.date(2027, 3, 31),
        steps=[
            ("stage", head("braunschweig"), Stage.COMMITTED),
            ("stage", head("wolfsburg"), Stage.DECLINED),
            (
                "comment",
                head("wolfsburg"),
                "Wolfsburg hat die Anbindung bereits über den "
                "Landesdienst erledigt und beteiligt sich deshalb nicht.",
            ),
            ("stage", head("salzgitter"), Stage.COMMITTED),
            (
                "comment",
                team("salzgitter"),
                "Termin für den gemeinsamen Workshop: Ende des Monats in Salzgitter-Lebenstedt.",
            ),
        ],
    ),
    DemoInitiative(
        title="FIT-Connect als gemeinsamer Übermittlungsweg",
        area="schnittstellen",
        proposer=team("wolfsburg"),
        summary="Alle Online-Dienste übermitteln Anträge über FIT-Connect statt über "
        "einzelne Postfächer und E-Mail.",
        description="""\
FIT-Connect ist die Übermittlungsinfrastruktur der FITKO. Ein gemeinsamer Zustellpunkt je
Partner spart Einzelanbindungen und macht EfA-Leistungen sofort nutzbar.
""",
        days_ago=14,
        last_step_days_ago=1,
        steps=[
            ("stage", team("salzgitter"), Stage.INTERESTED),
            (
                "comment",
                team("salzgitter"),
                "Gibt es schon eine Kostenschätzung für den Betrieb der Zustellpunkte?",
            ),
        ],
    ),
    DemoInitiative(
        title="Gemeinsame Ausschreibung Fachverfahren Einwohnerwesen",
        area="fachverfahren",
        proposer=head("salzgitter"),
        summary="Die Meldebehörden schreiben das Fachverfahren für das Einwohnerwesen "
        "gemeinsam aus, um Kosten und Aufwand zu teilen.",
        description="""\
Die Verträge für das Einwohnerwesen laufen bei mehreren Partnern in den nächsten Jahren aus.
Eine gemeinsame Ausschreibung stärkt die Verhandlungsposition; der Betrieb bleibt bei jedem
Partner.
""",
        days_ago=35,
        last_step_days_ago=6,
        steps=[
            ("stage", head("gifhorn"), Stage.DECLINED),
            (
                "comment",
                head("gifhorn"),
                "Das Einwohnerwesen liegt im Landkreis bei den "
                "Gemeinden; der Kreis kann sich nicht beteiligen.",
            ),
            ("stage", team("braunschweig"), Stage.INTERESTED),
        ],
    ),
    DemoInitiative(
        title="E-Akte: Erfahrungsaustausch und Schulungen",
        area="basisdienste",
        proposer=team("gifhorn"),
        summary="Ein regelmäßiger Austausch zur Einführung der elektronischen Akte mit "
        "gemeinsamen Schulungsunterlagen.",
        description="Gemeinsame Schulungsunterlagen für die E-Akte.",
        days_ago=200,
        last_step_days_ago=150,
        steps=[
            ("comment", team("salzgitter"), "Das machen wir schon im Arbeitskreis E-Akte."),
            ("withdraw", team("gifhorn")),
        ],
    ),
    DemoInitiative(
        title="Gewerbeanmeldung online",
        area="online-dienste",
        proposer=team("braunschweig"),
        summary="Gewerbe werden online an-, um- und abgemeldet; die Daten gehen automatisch "
        "an Finanzamt, IHK und Handwerkskammer.",
        description="""\
Die Gewerbeanmeldung war die erste gemeinsame Online-Leistung der Kooperation. Sie läuft bei
allen beteiligten Partnern im Echtbetrieb.
""",
        days_ago=700,
        last_step_days_ago=400,
        ozg_reference="99050012104000",
        steps=[
            ("stage", head("braunschweig"), Stage.COMMITTED),
            ("stage", head("wolfsburg"), Stage.COMMITTED),
            ("stage", head("salzgitter"), Stage.COMMITTED),
            ("stage", head("braunschweig"), Stage.ADOPTED),
            ("stage", head("wolfsburg"), Stage.ADOPTED),
            ("stage", head("salzgitter"), Stage.ADOPTED),
            ("status", head("braunschweig"), Status.COMPLETED),
        ],
    ),
    DemoInitiative(
        title="Digitale Gremienarbeit im Ratsinformationssystem",
        area="fachverfahren",
        proposer=team("wolfsburg"),
        summary="Sitzungsvorlagen, Einladungen und Protokolle papierlos für Rat, Kreistag "
        "und Ausschüsse.",
        description="Vorschlag: gemeinsame Anforderungen an das Ratsinformationssystem.",
        days_ago=4,
        last_step_days_ago=4,
    ),
    DemoInitiative(
        title="Schnittstelle XAusländer für die Ausländerbehörden",
        area="schnittstellen",
        proposer=team("salzgitter"),
        summary="Die Ausländerbehörden tauschen Daten mit dem Bundesamt und den "
        "Meldebehörden über XAusländer aus.",
        description="""\
Die Ausländerbehörden von Salzgitter und Gifhorn binden ihr Fachverfahren gemeinsam an
XAusländer an und teilen Testfälle und Schulung.
""",
        days_ago=60,
        last_step_days_ago=8,
        steps=[
            ("stage", head("salzgitter"), Stage.COMMITTED),
            ("stage", head("gifhorn"), Stage.COMMITTED),
            ("stage", team("braunschweig"), Stage.INTERESTED),
            (
                "comment",
                team("gifhorn"),
                "Die Testumgebung des Herstellers steht ab nächster Woche bereit.",
            ),
        ],
    ),
    DemoInitiative(
        title="Hundesteuer online anmelden",
        area="online-dienste",
        proposer=team("gifhorn"),
        summary="Hunde online an- und abmelden, die Steuermarke kommt per Post.",
        description="Eine kleine, häufig genutzte Leistung – gut für den Einstieg.",
        days_ago=9,
        last_step_days_ago=2,
        ozg_reference="Hundesteuer",
        steps=[
            ("stage", team("wolfsburg"), Stage.INTERESTED),
            ("stage", team("salzgitter"), Stage.INTERESTED),
            ("comment", team("wolfsburg"), "Wolfsburg würde den Dienst gern nachnutzen."),
        ],
    ),
]

# (partner, field of work, product, vendor, notes): what each partner runs today. Products that
# two or more partners share are the common ground the overview shows.
RECENT_SOLUTIONS = 3
SOLUTIONS = [
    ("braunschweig", "basisdienste", "ePayBL", "ePayBL-Verbund", "Seit 2022 für Online-Dienste."),
    ("salzgitter", "basisdienste", "ePayBL", "ePayBL-Verbund", "Hundesteuer und Gebühren."),
    ("wolfsburg", "basisdienste", "ePayBL", "ePayBL-Verbund", ""),
    ("gifhorn", "basisdienste", "pmPayment", "Governikus", "Vertrag bis 2027."),
    ("braunschweig", "basisdienste", "BundID", "Bundesministerium des Innern", ""),
    ("wolfsburg", "basisdienste", "BundID", "Bundesministerium des Innern", ""),
    ("gifhorn", "basisdienste", "BundID", "Bundesministerium des Innern", ""),
    ("salzgitter", "basisdienste", "enaio", "OPTIMAL SYSTEMS", "E-Akte in der Kernverwaltung."),
    ("gifhorn", "basisdienste", "enaio", "OPTIMAL SYSTEMS", "E-Akte im Pilotbetrieb."),
    ("braunschweig", "fachverfahren", "OK.EWO", "AKDB", "Einwohnerwesen."),
    ("salzgitter", "fachverfahren", "OK.EWO", "AKDB", "Einwohnerwesen."),
    ("wolfsburg", "fachverfahren", "VOIS|MESO", "HSH", "Einwohnerwesen."),
    ("braunschweig", "fachverfahren", "PROSOZ", "Prosoz Herten", "Sozialhilfe und Wohngeld."),
    ("wolfsburg", "fachverfahren", "PROSOZ", "Prosoz Herten", "Wohngeld."),
    ("gifhorn", "fachverfahren", "ALLRIS", "CC e-gov", "Ratsinformationssystem."),
    ("wolfsburg", "fachverfahren", "ALLRIS", "CC e-gov", "Ratsinformationssystem."),
    ("braunschweig", "schnittstellen", "XBau", "XLeitstelle", "Bauaufsicht."),
    ("salzgitter", "schnittstellen", "XBau", "XLeitstelle", "Bauaufsicht."),
    ("wolfsburg", "schnittstellen", "XBau", "XLeitstelle", "Über den Landesdienst."),
    ("braunschweig", "schnittstellen", "FIT-Connect", "FITKO", "Zustellpunkt im Test."),
    ("wolfsburg", "schnittstellen", "FIT-Connect", "FITKO", ""),
    ("braunschweig", "schnittstellen", "XMeld", "XLeitstelle", ""),
    ("salzgitter", "schnittstellen", "XMeld", "XLeitstelle", ""),
    ("gifhorn", "online-dienste", "NAVO", "Land Niedersachsen", "Antragsmanagement."),
    ("salzgitter", "online-dienste", "NAVO", "Land Niedersachsen", "Antragsmanagement."),
    ("braunschweig", "online-dienste", "Civento", "ekom21", "Formularserver."),
]
