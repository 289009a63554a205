from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Area, Initiative
from partners.markdown import MarkdownHTMLField
from partners.models import Partner
from partners.validators import validate_single_line
from positions.models.addressees import Addressee

TEXT_MAX_LENGTH = 30000


def _person(related_name="+", verbose_name=None):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name or _("Person"),
    )


class PositionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Members and the office read every position, visitors the published ones."""
        from positions.permissions import can_browse

        return self if can_browse(user) else self.published()

    def for_list(self):
        return (
            self.select_related("lead_partner")
            .defer("text", "text_html", "search_vector", "letter_pdf")
            .prefetch_related("addressees")
        )

    def for_detail(self):
        return self.select_related("lead_partner", "proposer", "current_version").defer(
            "letter_pdf", "search_vector"
        )

    def cosigned_by(self, partner):
        return self.filter(
            cosignatures__partner=partner,
            cosignatures__decision=CoSignature.Decision.SIGNS,
            status__in=Position.SENT_STATUSES,
        )


class Position(models.Model):
    """A joint statement of the partners to one or more outside bodies, sent once as a letter in
    the name of the partners that co-signed it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        COSIGNING = "cosigning", _("In Mitzeichnung")
        SENT = "sent", _("Versandt")
        ANSWERED = "answered", _("Beantwortet")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    class SentVia(models.TextChoices):
        EMAIL = "email", _("E-Mail über das Portal")
        POST = "post", _("Post")
        BEBPO = "bebpo", _("beBPo")
        FAX = "fax", _("Fax")

    SENT_STATUSES = (Status.SENT, Status.ANSWERED)
    STATUS_BADGES = {
        Status.COSIGNING: "warning",
        Status.SENT: "success",
        Status.ANSWERED: "success",
        Status.WITHDRAWN: "danger",
    }

    title = models.CharField(_("Titel"), max_length=200, validators=[validate_single_line])
    occasion = models.CharField(
        _("Anlass"),
        max_length=500,
        help_text=_("z. B. „Anhörung zum Entwurf des NDIG, Frist 15.01.“"),
    )
    addressees = models.ManyToManyField(
        Addressee, related_name="positions", verbose_name=_("Adressaten")
    )
    areas = models.ManyToManyField(
        Area, related_name="positions", blank=True, verbose_name=_("Arbeitsfelder")
    )
    initiatives = models.ManyToManyField(
        Initiative, related_name="positions", blank=True, verbose_name=_("Initiativen")
    )
    lead_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="positions_led",
        verbose_name=_("Federführung"),
    )
    proposer = _person("positions_proposed", _("Vorgeschlagen von"))
    # The current text; every saved change is also kept as a PositionVersion.
    text = models.TextField(
        _("Text"),
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text=_("Der Text des Schreibens. Markdown ist möglich: **fett**, Listen, Links."),
    )
    text_html = MarkdownHTMLField(_("Text als HTML"), source="text")
    current_version = models.ForeignKey(
        "PositionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Aktuelle Fassung"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    deadline = models.DateField(_("Frist der Mitzeichnung"), null=True, blank=True)
    is_published = models.BooleanField(_("Veröffentlicht"), default=False)
    letter_pdf = models.BinaryField(_("Schreiben (PDF)"), null=True, blank=True, editable=False)
    letter_sha256 = models.CharField(_("SHA-256 des Schreibens"), max_length=64, blank=True)
    sent_via = models.CharField(
        _("Versandt per"), max_length=10, choices=SentVia.choices, blank=True
    )
    sent_on = models.DateField(_("Versandt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Vorgeschlagen am"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("Letzte Aktivität"), default=timezone.now)
    # German full-text search on PostgreSQL, kept current by a trigger (migration 0002).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Position")
        verbose_name_plural = _("Positionen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="position_newest"),
            models.Index(fields=["status", "-created_at"], name="position_status_newest"),
            # What waits for a co-signature, nearest deadline first (positions.activity).
            models.Index(
                fields=["status", "deadline", "created_at", "id"], name="position_status_deadline"
            ),
            models.Index(fields=["lead_partner", "-created_at"], name="position_lead_newest"),
            models.Index(
                fields=["-created_at", "-id"],
                name="position_published_newest",
                condition=models.Q(is_published=True),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def status_badge(self) -> str:
        return self.STATUS_BADGES.get(self.status, "info")

    @property
    def is_sent(self) -> bool:
        return self.status in self.SENT_STATUSES

    @property
    def accepts_comments(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class PositionVersion(models.Model):
    """One saved state of a position's text; any two can be compared."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Position")
    )
    number = models.PositiveIntegerField(_("Fassung"))
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"), max_length=TEXT_MAX_LENGTH)
    text_html = MarkdownHTMLField(_("Text als HTML"), source="text")
    author = _person(verbose_name=_("Gespeichert von"))
    created_at = models.DateTimeField(_("Gespeichert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Fassung einer Position")
        verbose_name_plural = _("Fassungen von Positionen")
        ordering = ["position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["position", "number"], name="position_version_once")
        ]

    def __str__(self):
        return _("Fassung %(number)s") % {"number": self.number}


class CoSignature(models.Model):
    """One member partner's decision on a position, for the exact version it was made on."""

    class Decision(models.TextChoices):
        OPEN = "open", _("Offen")
        SIGNS = "signs", _("Zeichnet mit")
        DECLINES = "declines", _("Zeichnet nicht mit")

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="cosignatures", verbose_name=_("Position")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("Partner")
    )
    decision = models.CharField(
        _("Entscheidung"), max_length=10, choices=Decision.choices, default=Decision.OPEN
    )
    reason = models.TextField(_("Begründung"), max_length=2000, blank=True)
    version = models.ForeignKey(
        PositionVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entschieden für Fassung"),
    )
    decided_by = _person(verbose_name=_("Entschieden von"))
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitzeichnung")
        verbose_name_plural = _("Mitzeichnungen")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["position", "partner"], name="cosignature_once"),
        ]
        indexes = [models.Index(fields=["partner", "decision"], name="cosignature_partner")]

    def __str__(self):
        return f"{self.partner}: {self.get_decision_display()}"


class PositionEvent(models.Model):
    """A dated, attributed step of a position: its timeline, and what digests report."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Entwurf angelegt")
        EDITED = "edited", _("Text geändert")
        OPENED = "opened", _("Zur Mitzeichnung geöffnet")
        SIGNED = "signed", _("Zeichnet mit")
        DECLINED = "declined", _("Zeichnet nicht mit")
        RESET = "reset", _("Mitzeichnungen nach Textänderung zurückgesetzt")
        SENT = "sent", _("Versandt")
        ANSWERED = "answered", _("Antwort erfasst")
        PUBLISHED = "published", _("Veröffentlicht")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="events", verbose_name=_("Position")
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Partner"),
    )
    actor = _person()
    version = models.ForeignKey(
        PositionVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Fassung"),
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Schritt einer Position")
        verbose_name_plural = _("Schritte von Positionen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["position", "created_at"], name="event_position_time")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.position}"


class Answer(models.Model):
    """What the addressee answered."""

    position = models.OneToOneField(
        Position, on_delete=models.CASCADE, related_name="answer", verbose_name=_("Position")
    )
    received_on = models.DateField(_("Eingegangen am"))
    reference = models.CharField(
        _("Aktenzeichen"), max_length=200, blank=True, validators=[validate_single_line]
    )
    summary = models.TextField(
        _("Zusammenfassung"),
        max_length=10000,
        validators=[MaxLengthValidator(10000)],
        help_text=_("Was der Adressat antwortet. Markdown ist möglich."),
    )
    summary_html = MarkdownHTMLField(_("Zusammenfassung als HTML"), source="summary")
    recorded_by = _person(verbose_name=_("Erfasst von"))
    recorded_at = models.DateTimeField(_("Erfasst am"), default=timezone.now)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")

    def __str__(self):
        return _("Antwort auf %(position)s") % {"position": self.position}
