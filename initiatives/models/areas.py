from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.validators import validate_single_line


class Area(models.Model):
    """A field of work of the cooperation, such as Basisdienste or Schnittstellen."""

    name = models.CharField(
        _("Name"), max_length=100, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Arbeitsfeld")
        verbose_name_plural = _("Arbeitsfelder")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
