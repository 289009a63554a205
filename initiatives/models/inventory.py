from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models.areas import Area
from partners.models import Partner
from partners.validators import validate_single_line


def product_key(product: str) -> str:
    """What makes two partners' entries the same product: case and spacing do not count."""
    return " ".join(product.split()).casefold()


class SolutionQuerySet(models.QuerySet):
    def of_members(self):
        return self.filter(partner__status=Partner.Status.MEMBER)


class Solution(models.Model):
    """A product a partner runs in one field of work: its inventory, where common ground shows."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="solutions", verbose_name=_("Partner")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="solutions", verbose_name=_("Arbeitsfeld")
    )
    product = models.CharField(
        _("Produkt"),
        max_length=200,
        help_text=_("Zum Beispiel „OK.EWO“, „ePayBL“ oder „FIT-Connect“."),
        validators=[validate_single_line],
    )
    product_key = models.CharField(max_length=200, editable=False, db_index=True)
    vendor = models.CharField(
        _("Hersteller oder Dienstleister"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    notes = models.TextField(
        _("Anmerkungen"),
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
        blank=True,
        help_text=_("Wofür die Lösung eingesetzt wird, Version, Erfahrungen."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Erfasst von"),
    )
    created_at = models.DateTimeField(_("Erfasst am"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("Zuletzt geändert am"), default=timezone.now)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Lösung")
        verbose_name_plural = _("Lösungen")
        ordering = ["area__position", "product_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "area", "product_key"], name="solution_once_per_partner"
            ),
        ]
        indexes = [models.Index(fields=["area", "product_key"], name="solution_area_product")]

    def __str__(self):
        return f"{self.product} ({self.partner})"

    def clean_fields(self, exclude=None):
        self.product = " ".join((self.product or "").split())
        self.product_key = product_key(self.product)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.partner_id is None or self.area_id is None:
            return
        taken = Solution.objects.filter(
            partner_id=self.partner_id, area_id=self.area_id, product_key=self.product_key
        ).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {
                    "product": _(
                        "Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst."
                    )
                }
            )
