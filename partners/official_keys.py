"""One identity per municipality or district, however its official key is written.

People write the same Kommune's key in three forms (see validators.py): Landkreis Gifhorn as
Kreisschlüssel 03151, as "AGS" 03151000 or as ARS 031510000000; Braunschweig as 03101,
03101000 or 031010000000; a kreisangehörige Gemeinde as AGS 03158037 or ARS 031580037037.
`canonical()` maps them to one form, which the portal stores and compares:

- a Kreis – a Landkreis or a kreisfreie Stadt – by its 5-digit Kreisschlüssel,
- a kreisangehörige Gemeinde by its 8-digit AGS (the ARS without the Gemeindeverband),
- a Gemeindeverband (Samtgemeinde, Verbandsgemeinde, Amt), which has no AGS, by its 12-digit
  ARS ending in 000.

The Kreise come from the Destatis list in data/kreise.csv (see its header): a key of a Kreis
that does not exist is refused.
"""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

KREISE_FILE = Path(__file__).parent / "data" / "kreise.csv"

LAENDER = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

KREISSCHLUESSEL = _("Kreisschlüssel")
AGS = _("Amtlicher Gemeindeschlüssel (AGS)")
ARS = _("Amtlicher Regionalschlüssel (ARS)")
LABELS = {5: KREISSCHLUESSEL, 8: AGS, 12: ARS}


@cache
def kreise() -> dict[str, tuple[str, str]]:
    """Kreisschlüssel → (name, Art) of every Kreis."""
    with KREISE_FILE.open(encoding="utf-8") as lines:
        rows = csv.DictReader((line for line in lines if not line.startswith("#")), delimiter=";")
        return {row["kreisschluessel"]: (row["name"], row["art"]) for row in rows}


def canonical(key: str) -> str:
    """The stored form of a key of 5, 8 or 12 digits (anything else is returned as it is, for
    the validator to refuse)."""
    if not (key.isascii() and key.isdigit()):
        return key
    if len(key) == 8 and key.endswith("000"):
        return key[:5]  # "AGS" of a Kreis: the Kreisschlüssel with Gemeinde 000
    if len(key) == 12:
        verband, gemeinde = key[5:9], key[9:]
        if gemeinde == "000":
            return key[:5] if verband == "0000" else key  # the Kreis, or a Gemeindeverband
        return key[:5] + gemeinde  # a Gemeinde: its AGS
    return key


def kreis_of(key: str) -> tuple[str, str] | None:
    """(name, Art) of the Kreis the key lies in, or None if there is no such Kreis."""
    return kreise().get(key[:5])


def label(key: str, kind: str = "") -> str:
    """What the canonical key is called: a Landkreis has a Kreisschlüssel; a kreisfreie Stadt
    is a municipality and is shown with its AGS (see `shown`)."""
    if len(key) == 5 and kind == "kreisfreie_stadt":
        return AGS
    return LABELS.get(len(key), "")


def shown(key: str, kind: str = "") -> str:
    """The key as the label says: a kreisfreie Stadt's AGS is its Kreisschlüssel and 000."""
    if len(key) == 5 and kind == "kreisfreie_stadt":
        return f"{key}000"
    return key
