"""Official keys of German municipalities and districts.

- Kreisschlüssel, 5 digits: Land (2), Regierungsbezirk (1), Kreis (2), e.g. 03151 Gifhorn.
- Amtlicher Gemeindeschlüssel (AGS), 8 digits: the Kreisschlüssel and the Gemeinde (3),
  e.g. 03101000 Braunschweig.
- Amtlicher Regionalschlüssel (ARS), 12 digits: the Kreisschlüssel, the Gemeindeverband (4)
  and the Gemeinde (3).

The three forms of one Kommune are one identity: see official_keys.py.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.utils.translation import gettext_lazy as _

from partners import official_keys

OFFICIAL_KEY_LENGTHS = official_keys.LABELS
# The Länder are numbered 01 (Schleswig-Holstein) to 16 (Thüringen).
LAND_CODES = range(1, 17)

_SEPARATORS = re.compile(r"[\s.\-]")
# C0 and C1 control characters (line breaks, tabs, NUL, escape …) and the Unicode line and
# paragraph separators: nothing a name, a title or a subject line legitimately contains.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """For every field of one line: a line break or control character in a name ends up in
    e-mail headers, CSV cells and page titles."""
    if _CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            _("Bitte in einer Zeile und ohne Steuerzeichen (Zeilenumbruch, Tabulator) eingeben."),
            code="control_characters",
        )


def normalize_official_key(value: str) -> str:
    """Drop the spaces, dots and dashes people write to group the digits."""
    return _SEPARATORS.sub("", value or "")


def validate_official_key(value: str) -> None:
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("Der amtliche Schlüssel besteht nur aus Ziffern."), code="not_digits"
        )
    if len(value) not in OFFICIAL_KEY_LENGTHS:
        raise ValidationError(
            _(
                "Der amtliche Schlüssel hat 5 Ziffern (Kreisschlüssel), 8 Ziffern (AGS) "
                "oder 12 Ziffern (ARS); eingegeben wurden %(length)d."
            ),
            code="length",
            params={"length": len(value)},
        )
    if int(value[:2]) not in LAND_CODES:
        raise ValidationError(
            _("Die ersten beiden Ziffern bezeichnen das Land und liegen zwischen 01 und 16."),
            code="land",
        )
    if official_keys.kreis_of(value) is None:
        raise ValidationError(
            _(
                "Einen Kreis mit dem Kreisschlüssel %(kreis)s (den ersten fünf Ziffern) gibt es "
                "in %(land)s nicht. Bitte prüfen Sie den Schlüssel."
            ),
            code="kreis",
            params={"kreis": value[:5], "land": official_keys.LAENDER[value[:2]]},
        )


_DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")


def normalize_email_domains(value: str) -> str:
    """ "@Helmstedt.de; landkreis-helmstedt.de" → "helmstedt.de, landkreis-helmstedt.de"."""
    domains = []
    for domain in _DOMAIN_SEPARATORS.split(value or ""):
        domain = domain.strip().lower().removeprefix("@").rstrip(".")
        if domain and domain not in domains:
            domains.append(domain)
    return ", ".join(domains)


def validate_email_domains(value: str) -> None:
    """Each of the comma-separated domains, as EmailDomain takes it (no IDNA: the portal
    compares addresses as written)."""
    check = DomainNameValidator(accept_idna=False)
    for domain in filter(None, value.split(", ")):
        try:
            check(domain)
        except ValidationError:
            raise ValidationError(
                _("„%(domain)s“ ist keine E-Mail-Domain (z. B. helmstedt.de)."),
                code="domain",
                params={"domain": domain},
            ) from None


def official_key_kind(value: str, kind: str = "") -> str:
    return official_keys.label(value, kind)
