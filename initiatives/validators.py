"""The OZG reference of an initiative: the name of an OZG-Leistung (free text) or a key of the
Leistungskatalog (LeiKa), which has 14 digits, e.g. 99107004000000."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_KEY_LIKE = re.compile(r"^[\d\s.\-]+$")
_SEPARATORS = re.compile(r"[\s.\-]")
LEIKA_KEY_LENGTH = 14


def validate_ozg_reference(value: str) -> None:
    """Text is a service's name; digits alone must be a complete LeiKa key."""
    if value and _KEY_LIKE.match(value):
        digits = _SEPARATORS.sub("", value)
        if len(digits) != LEIKA_KEY_LENGTH:
            raise ValidationError(
                _(
                    "Ein LeiKa-Schlüssel hat 14 Ziffern (z. B. 99107004000000). Oder geben Sie "
                    "den Namen der OZG-Leistung an."
                ),
                code="leika_key",
            )
