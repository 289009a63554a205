from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.markdown import MarkdownHTMLField
from partners.validators import validate_single_line


class AdmissionRule(models.TextChoices):
    """How many of the member partners must approve an application to join."""

    UNANIMITY = "unanimity", _("Einstimmig: alle Partner stimmen zu")
    TWO_THIRDS = "two_thirds", _("Zwei Drittel der Partner stimmen zu")
    MAJORITY = "majority", _("Mehr als die Hälfte der Partner stimmt zu")

    @classmethod
    def approvals_needed(cls, rule: str, electorate: int) -> int:
        if rule == cls.TWO_THIRDS:
            return -(-2 * electorate // 3)  # ceiling of two thirds
        if rule == cls.MAJORITY:
            return electorate // 2 + 1
        return electorate


class AgreementVersionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=AgreementVersion.Status.IN_FORCE)

    def with_parties(self):
        return self.prefetch_related(
            models.Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("partner").order_by("partner__name"),
            )
        )


class AgreementVersion(models.Model):
    """One version of the cooperation agreement (Kooperationsvereinbarung)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_SIGNATURE = "in_signature", _("In Unterzeichnung")
        IN_FORCE = "in_force", _("In Kraft")
        SUPERSEDED = "superseded", _("Abgelöst")

    title = models.CharField(_("Titel"), max_length=200, validators=[validate_single_line])
    text = models.TextField(_("Text (Markdown)"))
    text_html = MarkdownHTMLField(_("Text als HTML"), source="text")
    effective_on = models.DateField(_("Gültig ab"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    admission_rule = models.CharField(
        _("Regel für Beitritte"),
        max_length=20,
        choices=AdmissionRule.choices,
        default=AdmissionRule.UNANIMITY,
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("Vorherige Fassung"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    in_force_at = models.DateTimeField(_("In Kraft seit"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("Abgelöst am"), null=True, blank=True)

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fassung der Kooperationsvereinbarung")
        verbose_name_plural = _("Fassungen der Kooperationsvereinbarung")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="in_force"),
                name="agreement_one_version_in_force",
            ),
        ]

    def __str__(self):
        return self.title


class AgreementParty(models.Model):
    """A partner that is party to a version, and its signature once given."""

    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("Fassung"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("Partner"),
    )
    signatory_name = models.CharField(
        _("Unterzeichnet von"), max_length=150, blank=True, validators=[validate_single_line]
    )
    signatory_role = models.CharField(
        _("Funktion"), max_length=200, blank=True, validators=[validate_single_line]
    )
    signed_on = models.DateField(_("Unterzeichnet am"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Erfasst von"),
    )

    class Meta:
        verbose_name = _("Vertragspartei")
        verbose_name_plural = _("Vertragsparteien")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "partner"], name="agreement_party_once"),
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True)
                | (~models.Q(signatory_name="") & ~models.Q(signatory_role="")),
                name="agreement_signature_names_signatory",
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.version}"

    @property
    def has_signed(self) -> bool:
        return self.signed_on is not None
