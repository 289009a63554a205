from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import official_keys
from partners.models.agreement import AdmissionRule
from partners.models.people import Partner
from partners.validators import (
    validate_email_domains,
    validate_official_key,
    validate_single_line,
)


class ApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Application.Status.PENDING)

    def confirmed(self):
        """Applications whose contact confirmed the address: the ones partners see and vote on."""
        return self.filter(confirmed_at__isnull=False)

    def open_first(self):
        """Applications awaiting votes first, then the decided ones; newest first in each."""
        awaiting = models.Case(
            models.When(status=Application.Status.PENDING, then=models.Value(0)),
            default=models.Value(1),
        )
        return self.order_by(awaiting, "-submitted_at", "-pk")

    def with_votes(self):
        return self.prefetch_related(
            models.Prefetch("votes", queryset=Vote.objects.select_related("partner", "voter")),
            models.Prefetch("electorate", queryset=Partner.objects.order_by("name")),
        )


class Application(models.Model):
    """A municipality's application to join the cooperation ("Beitritt")."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Adresse noch nicht bestätigt")
        PENDING = "pending", _("In Abstimmung")
        ADMITTED = "admitted", _("Aufgenommen")
        REJECTED = "rejected", _("Abgelehnt")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    name = models.CharField(
        _("Name der Kommune"), max_length=200, validators=[validate_single_line]
    )
    kind = models.CharField(_("Art"), max_length=40, choices=Partner.Kind.choices)
    official_key = models.CharField(
        _("Amtlicher Schlüssel"), max_length=12, validators=[validate_official_key]
    )
    website = models.URLField(_("Website"), blank=True)
    email_domains = models.CharField(
        _("E-Mail-Domains"),
        max_length=500,
        blank=True,
        validators=[validate_single_line, validate_email_domains],
        help_text=_("Die Domains der dienstlichen Adressen, durch Komma getrennt."),
    )
    contact_name = models.CharField(
        _("Ansprechperson"), max_length=150, validators=[validate_single_line]
    )
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"))
    motivation = models.TextField(_("Motivation"), max_length=5000)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    admission_rule = models.CharField(
        _("Regel für die Aufnahme"),
        max_length=20,
        choices=AdmissionRule.choices,
        default=AdmissionRule.UNANIMITY,
    )
    electorate = models.ManyToManyField(
        Partner,
        related_name="applications_to_decide",
        verbose_name=_("Stimmberechtigte Partner"),
        help_text=_("Die Partner, die beim Eingang des Antrags Mitglied waren."),
    )
    submitted_at = models.DateTimeField(_("Eingegangen am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("Adresse bestätigt am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    admitted_partner = models.OneToOneField(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("Aufgenommen als"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beitrittsantrag")
        verbose_name_plural = _("Beitrittsanträge")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["official_key"],
                condition=models.Q(status="pending"),
                name="application_one_pending_per_key",
            ),
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"])]

    def __str__(self):
        return self.name

    @property
    def official_key_kind(self) -> str:
        return official_keys.label(self.official_key, self.kind)

    @property
    def official_key_shown(self) -> str:
        return official_keys.shown(self.official_key, self.kind)

    def clean_fields(self, exclude=None):
        self.official_key = official_keys.canonical(self.official_key or "")
        super().clean_fields(exclude=exclude)

    @property
    def email_domain_list(self) -> list[str]:
        return [domain for domain in self.email_domains.split(", ") if domain]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_open(self) -> bool:
        """Not decided or withdrawn yet (its address may still await confirmation)."""
        return self.status in (self.Status.UNCONFIRMED, self.Status.PENDING)


class Vote(models.Model):
    """A member partner's vote on an application, cast by its department head."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="votes", verbose_name=_("Antrag")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="votes", verbose_name=_("Partner")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="votes",
        verbose_name=_("Abgegeben von"),
    )
    approve = models.BooleanField(_("Zustimmung"))
    comment = models.TextField(_("Kommentar"), blank=True, max_length=2000)
    cast_at = models.DateTimeField(_("Abgegeben am"), default=timezone.now)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "partner"], name="vote_once_per_partner"
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {'Ja' if self.approve else 'Nein'}"


class ApplicationEvent(models.Model):
    """A dated, attributed step of an application: its timeline."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Antrag eingegangen")
        APPROVED = "approved", _("Zustimmung")
        REJECTED_VOTE = "rejected_vote", _("Ablehnung")
        ADMITTED = "admitted", _("Aufgenommen")
        REJECTED = "rejected", _("Abgelehnt")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("Antrag")
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("Kommentar"), blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Schritt eines Beitrittsantrags")
        verbose_name_plural = _("Schritte von Beitrittsanträgen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.application}"
