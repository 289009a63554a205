"""A discussion, whatever it is about: comments in pages, their lasting addresses, following.

Initiatives and positions are discussed alike. Each app describes its discussion once as a
`Discussion` (its models, the subject's field and page, who may take part) and hands it to these
functions; the apps' services, views and templates (`includes/discussion.html`) are thin around
them. Keyword-only and atomic like every service; the permission is checked inside."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from initiatives.forms import CommentForm
from initiatives.models import Comment, Follow
from initiatives.permissions import (
    REFUSED_BROWSE,
    REFUSED_CHANGE_COMMENT,
    can_browse,
    can_change_comment,
)

# A page shows the comments in pages of this many, the newest page first: a subject with
# thousands of comments must not make a page of thousands.
COMMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class Discussion:
    comment_model: type[models.Model]  # a CommentBase with a foreign key `subject_field`
    follow_model: type[models.Model]  # a FollowBase with `subject_field` and `user`
    subject_field: str  # "initiative", "position"
    detail_url: str  # the name of the subject's page, e.g. "initiatives:initiative_detail"
    namespace: str  # where the comment URLs are: <namespace>:comment_link, …
    may_take_part: Callable  # (user) -> bool: comment and follow
    refusal: object  # why someone may not (a lazy German text)
    closed: object  # why a subject no longer takes comments (subject.accepts_comments)

    def subject_id(self, comment) -> int:
        return getattr(comment, f"{self.subject_field}_id")

    def comments(self, subject):
        return (
            self.comment_model.objects.filter(**{self.subject_field: subject})
            .select_related("author", "partner")
            # What a page shows: not the Markdown source, not the author's other columns.
            .only(
                self.subject_field,
                "author__name",
                "partner__name",
                "body_html",
                "created_at",
                "edited_at",
            )
            .order_by("created_at", "pk")
        )

    def follows(self, subject):
        return self.follow_model.objects.filter(**{self.subject_field: subject})


def comment_page_of(discussion: Discussion, comment) -> int:
    """The number of the comment page that holds `comment`."""
    before = discussion.comment_model.objects.filter(
        **{f"{discussion.subject_field}_id": discussion.subject_id(comment)}
    ).filter(
        Q(created_at__lt=comment.created_at) | Q(created_at=comment.created_at, pk__lt=comment.pk)
    )
    return before.count() // COMMENTS_PER_PAGE + 1


def comment_url(discussion: Discussion, comment) -> str:
    """Where a comment stands: its subject's page, on its comment page, at its anchor."""
    detail = reverse(discussion.detail_url, args=[discussion.subject_id(comment)])
    return f"{detail}?kommentare={comment_page_of(discussion, comment)}#kommentar-{comment.pk}"


@dataclass(frozen=True)
class ShownComment:
    """A comment as includes/discussion.html shows it: its labels made in one pass over the
    page (see shown_comments), so that the template only puts them in place."""

    pk: int
    author: str
    partner: str
    created_iso: str
    created_label: str
    edited_label: str
    body_html: str
    update_url: str = ""
    delete_url: str = ""


def shown_comments(discussion: Discussion, comments, user) -> list[ShownComment]:
    """The page's comments with their labels: the dates as the date filter's "j. F Y, H:i" in
    Europe/Berlin, with the month names and the anonymous author's label translated once per
    page instead of once per date (the filter's cost was most of a long discussion's page)."""
    months = {number: str(name) for number, name in MONTHS.items()}
    former_person = _("ehemalige Person")

    def label(moment: datetime) -> str:
        return f"{moment.day}. {months[moment.month]} {moment.year}, {moment:%H:%M}"

    shown = []
    for comment in comments:
        created_at = timezone.localtime(comment.created_at)
        own = can_change_comment(user, comment)
        shown.append(
            ShownComment(
                pk=comment.pk,
                author=(comment.author.name if comment.author else "") or former_person,
                partner=comment.partner.name if comment.partner else "",
                created_iso=created_at.isoformat(),
                created_label=label(created_at),
                edited_label=label(timezone.localtime(comment.edited_at))
                if comment.edited_at
                else "",
                body_html=comment.body_html,
                update_url=reverse(f"{discussion.namespace}:comment_update", args=[comment.pk])
                if own
                else "",
                delete_url=reverse(f"{discussion.namespace}:comment_delete", args=[comment.pk])
                if own
                else "",
            )
        )
    return shown


def comment_page(discussion: Discussion, subject, page_number, user) -> dict:
    """One page of comments (the newest unless `page_number` asks for another), as the
    template includes/discussion.html reads it."""
    paginator = Paginator(discussion.comments(subject), COMMENTS_PER_PAGE)
    page = paginator.get_page(page_number or paginator.num_pages)
    return {
        "comments": shown_comments(discussion, page.object_list, user),
        "comment_page": page,
        "comment_count": paginator.count,
    }


def discussion_context(
    discussion: Discussion, request, subject, *, comment_form=None, following: bool | None = None
) -> dict:
    """What includes/discussion.html and includes/follow_form.html show of `subject`
    (`following` when the caller knows it already)."""
    user = request.user
    follows = discussion.follows(subject)
    if following is None and user.is_authenticated:
        # The followers and whether the person is one of them: one query.
        counted = follows.aggregate(all=Count("pk"), own=Count("pk", filter=Q(user_id=user.pk)))
        follower_count, following = counted["all"], counted["own"] > 0
    else:
        follower_count, following = follows.count(), bool(following)
    return {
        **comment_page(discussion, subject, request.GET.get("kommentare"), user),
        "comment_form": comment_form or CommentForm(),
        "can_comment": subject.accepts_comments and discussion.may_take_part(user),
        "comment_urls": discussion.namespace,
        "follower_count": follower_count,
        "is_following": following,
    }


# Writes


@transaction.atomic
def comment_add(
    *, discussion: Discussion, subject, author, body: str, form_token: uuid.UUID | None = None
):
    """A new comment on `subject` – or, for a form token the author has sent before (a double
    click), the comment that form already made. The subject's last activity is the comment's."""
    if not discussion.may_take_part(author):
        raise PermissionDenied(discussion.refusal)
    if not subject.accepts_comments:
        raise ValidationError(discussion.closed)
    Comment = discussion.comment_model
    if form_token is not None:
        sent = Comment.objects.filter(author=author, form_token=form_token).first()
        if sent is not None:
            return sent
    comment = Comment(
        **{discussion.subject_field: subject},
        author=author,
        partner=author.partner,
        body=body,
        form_token=form_token,
    )
    comment.full_clean(validate_constraints=False)  # the token's constraint: just below
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:  # the same form sent twice at the same moment: the other one won
        return Comment.objects.get(author=author, form_token=form_token)
    subject.last_activity_at = comment.created_at
    subject.save(update_fields=["last_activity_at"])
    return comment


@transaction.atomic
def comment_edit(*, comment, editor, body: str):
    if not can_change_comment(editor, comment):
        raise PermissionDenied(REFUSED_CHANGE_COMMENT)
    if body == comment.body:
        return comment
    comment.body = body
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment, actor) -> None:
    if not can_change_comment(actor, comment):
        raise PermissionDenied(REFUSED_CHANGE_COMMENT)
    comment.delete()


def follow_all(discussion: Discussion, subject, users) -> None:
    """These people follow `subject` (who already does, still does once)."""
    Follow = discussion.follow_model
    Follow.objects.bulk_create(
        [Follow(**{discussion.subject_field: subject}, user=user) for user in users],
        ignore_conflicts=True,
    )


def follow(*, discussion: Discussion, subject, user) -> None:
    if not discussion.may_take_part(user):
        raise PermissionDenied(discussion.refusal)
    follow_all(discussion, subject, [user])


def unfollow(*, discussion: Discussion, subject, user) -> None:
    discussion.follows(subject).filter(user=user).delete()


INITIATIVES = Discussion(
    comment_model=Comment,
    follow_model=Follow,
    subject_field="initiative",
    detail_url="initiatives:initiative_detail",
    namespace="initiatives",
    may_take_part=can_browse,
    refusal=REFUSED_BROWSE,
    closed=_lazy("Eine zurückgezogene Initiative wird nicht mehr diskutiert."),
)
