from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.models.positions import Position


class PositionNotice(models.Model):
    """An e-mail a department head got about a position: one row per position, person and kind,
    written with the e-mail in one transaction – so each is sent exactly once, however often
    the reminder run goes (the unique constraint is the proof)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Zur Mitzeichnung geöffnet")
        REMINDER = "reminder", _("Erinnerung vor der Frist")

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="notices", verbose_name=_("Position")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Empfänger:in"),
    )
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("Versandt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Benachrichtigung zu einer Position")
        verbose_name_plural = _("Benachrichtigungen zu Positionen")
        constraints = [
            models.UniqueConstraint(
                fields=["position", "recipient", "kind"], name="position_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.position} an {self.recipient}"
