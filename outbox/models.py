from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailJobQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending jobs whose (next) attempt is due: never enqueued, or waiting for a retry."""
        now = now or timezone.now()
        return self.filter(status=EmailJob.Status.PENDING, next_attempt_at__lte=now)


class EmailJob(models.Model):
    """One e-mail, rendered when the change that causes it is saved (outbox.services)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("gescheitert")

    kind = models.CharField(_("Art"), max_length=100)
    recipients = models.JSONField(_("Empfänger:innen"), default=list)
    subject = models.CharField(_("Betreff"), max_length=500)
    body = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("weitere Kopfzeilen"), default=dict, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet"), null=True, blank=True)

    objects = EmailJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_job_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.kind}: {self.subject}"


class EmailAttachment(models.Model):
    """A file sent with a job (a letter as PDF); deleted with the text once the job is sent."""

    job = models.ForeignKey(
        EmailJob, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("E-Mail")
    )
    filename = models.CharField(_("Dateiname"), max_length=200)
    mimetype = models.CharField(_("Typ"), max_length=100)
    content = models.BinaryField(_("Inhalt"))

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.filename
