from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.validators import validate_single_line


class Addressee(models.Model):
    """An outside body the cooperation writes to; the register is kept by the office."""

    class Kind(models.TextChoices):
        LAND = "land", _("Land")
        BUND = "bund", _("Bund")
        IT_PROVIDER = "it_provider", _("Kommunaler IT-Dienstleister")
        MANUFACTURER = "manufacturer", _("Hersteller")
        ASSOCIATION = "association", _("Verband")
        BOARD = "board", _("Gremium")
        OTHER = "other", _("Andere")

    name = models.CharField(
        _("Name"), max_length=200, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    postal_address = models.TextField(
        _("Postanschrift"),
        max_length=500,
        help_text=_("Wie im Anschriftenfeld eines Briefs, eine Zeile je Angabe."),
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    is_demo = models.BooleanField(
        _("Demo-Eintrag"), default=False, help_text=_("Erfunden für die Demo-Daten.")
    )

    class Meta:
        verbose_name = _("Adressat")
        verbose_name_plural = _("Adressaten")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [self.name, *(line.strip() for line in self.postal_address.splitlines() if line)]
