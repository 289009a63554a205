from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.models.discussion import CommentBase, FollowBase
from positions.models.positions import Position


class PositionComment(CommentBase):
    """A contribution to the discussion of a position (as for initiatives)."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Position")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="position_comments",
        verbose_name=_("Verfasst von"),
    )

    class Meta(CommentBase.Meta):
        verbose_name = _("Kommentar zu einer Position")
        verbose_name_plural = _("Kommentare zu Positionen")
        indexes = [
            models.Index(fields=["position", "created_at"], name="position_comment_time"),
            models.Index(fields=["created_at"], name="position_comment_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "form_token"],
                condition=models.Q(form_token__isnull=False),
                name="position_comment_once_per_form",
            )
        ]

    def __str__(self):
        return f"{self.author or _('ehemalige Person')} zu {self.position}"


class PositionFollow(FollowBase):
    """A person follows a position: its new comments reach them in the digest."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="follows", verbose_name=_("Position")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="position_follows",
        verbose_name=_("Person"),
    )

    class Meta(FollowBase.Meta):
        verbose_name = _("Folgen einer Position")
        verbose_name_plural = _("Folgen von Positionen")
        constraints = [
            models.UniqueConstraint(fields=["user", "position"], name="position_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} folgt {self.position}"
