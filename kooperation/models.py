import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.markdown import MarkdownHTMLField
from partners.validators import validate_single_line


class Frequency(models.TextChoices):
    DAILY = "daily", _("Täglich")
    WEEKLY = "weekly", _("Wöchentlich")
    NEVER = "never", _("Nie")


class DigestSetting(models.Model):
    """How often a person wants the digest and on which fields of work. Without a row the
    defaults hold: daily for department heads, weekly for everyone else, every field."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_setting",
        verbose_name=_("Person"),
    )
    frequency = models.CharField(
        _("Zusammenfassung per E-Mail"), max_length=10, choices=Frequency.choices
    )
    areas = models.ManyToManyField(
        "initiatives.Area",
        blank=True,
        related_name="+",
        verbose_name=_("Arbeitsfelder"),
        help_text=_("Ohne Auswahl: alle Arbeitsfelder."),
    )
    updated_at = models.DateTimeField(_("Zuletzt geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Einstellung zur Zusammenfassung")
        verbose_name_plural = _("Einstellungen zur Zusammenfassung")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"

    @staticmethod
    def default_frequency(user) -> str:
        return Frequency.DAILY if user.is_department_head else Frequency.WEEKLY


class DigestDelivery(models.Model):
    """One digest of one person for one period (a day or an ISO week). The unique constraint
    makes it one e-mail per recipient and period, whatever runs, retries or redeliveries do."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Ausstehend")
        SENT = "sent", _("Versendet")
        EMPTY = "empty", _("Nichts Neues, nicht versendet")
        FAILED = "failed", _("Vom Mailserver abgelehnt")
        EXPIRED = "expired", _("Liegen geblieben, nicht mehr versendet")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        verbose_name=_("Empfänger:in"),
    )
    frequency = models.CharField(_("Rhythmus"), max_length=10, choices=Frequency.choices)
    period = models.CharField(_("Zeitraum"), max_length=10, help_text=_("Tag oder ISO-Woche"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    since = models.DateTimeField(_("Neuigkeiten seit"), null=True, blank=True)
    until = models.DateTimeField(_("Neuigkeiten bis"))
    items = models.PositiveIntegerField(_("Einträge"), default=0)
    # The task (by its id, which stays the same when Redis delivers it again and on retries)
    # that holds the delivery, and until when. A killed worker's claim is taken back by its
    # redelivered task at once, or by anyone after it expires.
    claimed_by = models.CharField(_("Reserviert für"), max_length=100, blank=True)
    claimed_until = models.DateTimeField(_("Reserviert bis"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Versand einer Zusammenfassung")
        verbose_name_plural = _("Versand der Zusammenfassungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period"], name="digest_once_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["frequency", "period", "status"], name="digest_run_status"),
            models.Index(fields=["recipient", "until"], name="digest_recipient_until"),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.get_frequency_display()} {self.period}"


class LegalPage(models.Model):
    """The text of a page a German public body must have, as the operator words it. Without
    one, the portal shows a template that says it is one."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Impressum")
        PRIVACY = "privacy", _("Datenschutzerklärung")
        ACCESSIBILITY = "accessibility", _("Erklärung zur Barrierefreiheit")

    kind = models.CharField(_("Seite"), max_length=20, choices=Kind.choices, unique=True)
    body = models.TextField(
        _("Text (Markdown)"),
        max_length=50000,
        validators=[MaxLengthValidator(50000)],
        help_text=_("Überschriften mit ##, Listen mit -, Links als [Text](https://…)."),
    )
    body_html = MarkdownHTMLField(_("Text als HTML"), source="body")
    updated_at = models.DateTimeField(_("Zuletzt geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Pflichtseite")
        verbose_name_plural = _("Pflichtseiten")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class AccessibilityFeedback(models.Model):
    """A barrier someone reports through the accessibility statement (BITV 2.0 § 7)."""

    name = models.CharField(
        _("Name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("E-Mail-Adresse für eine Antwort"), blank=True)
    page = models.CharField(
        _("Betroffene Seite"), max_length=500, blank=True, validators=[validate_single_line]
    )
    message = models.TextField(
        _("Ihre Rückmeldung"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    created_at = models.DateTimeField(_("Eingegangen am"), default=timezone.now)
    handled = models.BooleanField(_("Erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} – {self.message[:40]}"


class SecondFactor(Authenticator):
    """allauth's authenticators under a German name in the office's admin ("MFA ›
    Authenticators" otherwise): no table of its own."""

    KINDS = {
        Authenticator.Type.TOTP: _("Authenticator-App"),
        Authenticator.Type.RECOVERY_CODES: _("Wiederherstellungscodes"),
    }

    class Meta:
        proxy = True
        verbose_name = _("Zweiter Faktor")
        verbose_name_plural = _("Zweite Faktoren")

    def __str__(self):
        return f"{self.kind} – {self.user}"

    @property
    def kind(self) -> str:
        return str(self.KINDS.get(self.type, self.get_type_display()))


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class OverviewState(models.Model):
    """A person's state for "Mein Überblick": when they were last seen there (written at most
    every few minutes), where their previous visit ended (what is newer is marked "neu") and
    the key their feed link is signed with (a new key invalidates the old link). Here and not
    on the user: it is the overview's, written often, and read only by it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="overview_state",
        verbose_name=_("Person"),
    )
    seen_at = models.DateTimeField(_("Zuletzt gesehen"), null=True, blank=True)
    previous_visit_at = models.DateTimeField(_("Voriger Besuch bis"), null=True, blank=True)
    feed_key = models.CharField(_("Schlüssel des Feeds"), max_length=64, default=new_feed_key)

    class Meta:
        verbose_name = _("Stand des Überblicks")
        verbose_name_plural = _("Stände des Überblicks")

    def __str__(self):
        return str(self.user)
