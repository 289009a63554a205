from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models.initiatives import Initiative
from partners.markdown import MarkdownHTMLField
from partners.models import Partner


class CommentBase(models.Model):
    """What every comment of the portal is, whatever it discusses (an initiative, a position):
    Markdown rendered safely, attributed to its author and their partner. The subject, the
    author's related name and the constraints are the concrete model's."""

    # The author's partner when writing: the comment stays attributed if the person moves on.
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Partner"),
    )
    body = models.TextField(_("Kommentar"), max_length=5000, validators=[MaxLengthValidator(5000)])
    body_html = MarkdownHTMLField(_("Kommentar als HTML"), source="body")
    created_at = models.DateTimeField(_("Geschrieben am"), default=timezone.now)
    edited_at = models.DateTimeField(_("Bearbeitet am"), null=True, blank=True)
    # The one-time token of the form it was sent with: the same form sent twice (a double
    # click) makes one comment.
    form_token = models.UUIDField(_("Formular-Kennung"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]


class FollowBase(models.Model):
    """A person follows something: its new comments reach them in the digest."""

    created_at = models.DateTimeField(_("Seit"), default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = _("Folgen")
        verbose_name_plural = _("Folgen")


class Comment(CommentBase):
    """A contribution to the discussion of an initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Initiative")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="initiative_comments",
        verbose_name=_("Verfasst von"),
    )

    class Meta(CommentBase.Meta):
        indexes = [
            models.Index(fields=["initiative", "created_at"], name="comment_initiative_time")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "form_token"],
                condition=models.Q(form_token__isnull=False),
                name="comment_once_per_form",
            )
        ]

    def __str__(self):
        return f"{self.author or _('ehemalige Person')} zu {self.initiative}"


class Follow(FollowBase):
    """A person follows an initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="follows", verbose_name=_("Initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("Person"),
    )
    # When the person last opened the initiative: later comments of others are new to them.
    last_seen_at = models.DateTimeField(_("Zuletzt angesehen"), null=True, blank=True)

    class Meta(FollowBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["user", "initiative"], name="follow_once"),
        ]

    def __str__(self):
        return f"{self.user} folgt {self.initiative}"
