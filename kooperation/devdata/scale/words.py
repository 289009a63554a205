"""Words for the names and texts of the national data set (scale.py)."""

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
