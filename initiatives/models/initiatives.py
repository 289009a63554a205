from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models.areas import Area
from initiatives.validators import validate_ozg_reference
from partners.markdown import MarkdownHTMLField
from partners.models import Partner
from partners.validators import validate_single_line


class InitiativeQuerySet(models.QuerySet):
    def for_list(self):
        """What a list row shows: field and lead partner – not the description or the search
        vector, the two biggest columns. The partners taking part: selectors.attach_taking_part
        on the rows shown."""
        return self.select_related("area", "lead_partner").defer(
            "description", "description_html", "search_vector"
        )

    def for_detail(self):
        return self.select_related("area", "lead_partner", "proposer")

    def taken_part_in_by(self, partners):
        return self.filter(
            participations__partner__in=partners,
            participations__stage__in=Participation.TAKING_PART,
        ).distinct()


class Initiative(models.Model):
    """Something the partners do together in one field of work."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Vorschlag")
        ACTIVE = "active", _("Aktiv")
        PAUSED = "paused", _("Pausiert")
        COMPLETED = "completed", _("Abgeschlossen")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    OPEN = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)
    # How each status shows as a KERN badge (kern-badge--<tone>); the others are "info".
    STATUS_BADGES = {
        Status.ACTIVE: "success",
        Status.PAUSED: "warning",
        Status.WITHDRAWN: "danger",
    }

    title = models.CharField(_("Titel"), max_length=200, validators=[validate_single_line])
    summary = models.CharField(
        _("Zusammenfassung"),
        max_length=500,
        help_text=_("Ein bis zwei Sätze, die in der Liste erscheinen."),
    )
    description = models.TextField(
        _("Beschreibung"),
        max_length=20000,
        validators=[MaxLengthValidator(20000)],
        help_text=_("Ziele, Vorgehen, Beteiligte. Markdown ist möglich: **fett**, Listen, Links."),
    )
    description_html = MarkdownHTMLField(_("Beschreibung als HTML"), source="description")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("Arbeitsfeld")
    )
    lead_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="initiatives_led",
        verbose_name=_("Federführung"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives_proposed",
        verbose_name=_("Vorgeschlagen von"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    ozg_reference = models.CharField(
        _("OZG-Bezug"),
        max_length=200,
        blank=True,
        validators=[validate_single_line, validate_ozg_reference],
        help_text=_(
            "Name der OZG-Leistung oder LeiKa-Schlüssel, z. B. „Wohngeld“ oder 99107004000000."
        ),
    )
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    created_at = models.DateTimeField(_("Vorgeschlagen am"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("Letzte Aktivität"), default=timezone.now)
    # German full-text search on PostgreSQL, kept current by a trigger (migration 0002).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Initiative")
        verbose_name_plural = _("Initiativen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="initiative_newest"),
            models.Index(fields=["-last_activity_at", "-id"], name="initiative_recent"),
            models.Index(fields=["title", "id"], name="initiative_title"),
            models.Index(fields=["status", "-created_at"], name="initiative_status_newest"),
            models.Index(fields=["area", "-created_at"], name="initiative_area_newest"),
            # Field and status together (a common filter), and counts per field by status.
            models.Index(
                fields=["area", "status", "-created_at"], name="initiative_area_status_newest"
            ),
            # The open proposals, small beside all initiatives: a department head's decided
            # ones among them are counted from this and the partner's participations alone.
            models.Index(
                fields=["id"],
                condition=models.Q(status="proposed"),
                name="initiative_proposed",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def accepts_comments(self) -> bool:
        """A withdrawn initiative is no longer discussed."""
        return self.status != self.Status.WITHDRAWN

    @property
    def status_badge(self) -> str:
        return self.STATUS_BADGES.get(self.status, "info")


class ParticipationQuerySet(models.QuerySet):
    def taking_part(self):
        return self.filter(stage__in=Participation.TAKING_PART)


class Participation(models.Model):
    """Where one partner stands on one initiative."""

    class Stage(models.TextChoices):
        INTERESTED = "interested", _("Interessiert")
        COMMITTED = "committed", _("Zugesagt")
        ADOPTED = "adopted", _("Nachgenutzt")
        DECLINED = "declined", _("Abgesagt")

    TAKING_PART = (Stage.INTERESTED, Stage.COMMITTED, Stage.ADOPTED)

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("Initiative"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="participations", verbose_name=_("Partner")
    )
    stage = models.CharField(_("Stufe"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Zuletzt geändert von"),
    )
    changed_at = models.DateTimeField(_("Zuletzt geändert am"), default=timezone.now)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "partner"], name="participation_once_per_partner"
            ),
        ]
        indexes = [
            # With the initiative: a partner's decisions are read from the index alone.
            models.Index(
                fields=["partner", "stage"],
                include=["initiative"],
                name="participation_partner_stage",
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_stage_display()}"


class InitiativeEvent(models.Model):
    """A dated, attributed step of an initiative: its timeline, and what digests report."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Vorgeschlagen")
        EDITED = "edited", _("Vorschlag bearbeitet")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")
        ACTIVATED = "activated", _("Aktiv: zwei Partner haben zugesagt")
        PAUSED = "paused", _("Pausiert")
        RESUMED = "resumed", _("Fortgesetzt")
        COMPLETED = "completed", _("Abgeschlossen")
        INTERESTED = "interested", _("Interesse bekundet")
        COMMITTED = "committed", _("Beteiligung zugesagt")
        DECLINED = "declined", _("Beteiligung abgesagt")
        ADOPTED = "adopted", _("Ergebnis nachgenutzt")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="events", verbose_name=_("Initiative")
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Schritt einer Initiative")
        verbose_name_plural = _("Schritte von Initiativen")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["initiative", "created_at"], name="event_initiative_time"),
            # A person's newest steps (overview, activity page, feed) and their number, read
            # from the index alone: the filters on kind, partner and actor are in it.
            models.Index(
                fields=["-created_at"],
                include=["kind", "partner", "actor", "initiative"],
                name="event_newest_covering",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.initiative}"
