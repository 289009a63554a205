"""Reads of the initiative pages: search, counts per field of work, timeline and comments.

The common-ground matrix is in common_ground, what the digest reads in activity."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse

from initiatives.models import Comment, Follow, Initiative, InitiativeEvent, Participation

SEARCH_CONFIG = "german"


def search(initiatives: QuerySet, text: str) -> QuerySet:
    """Initiatives matching `text`, annotated with `rank` (higher is better).

    PostgreSQL: German full-text search in web-search syntax ("Anträge" finds "Antrag",
    "-Wohngeld" excludes, "\"digitale Akte\"" is a phrase) over the GIN-indexed vector.
    SQLite (the embedded demo): every word must appear in title, summary, OZG reference or
    description.
    """
    text = text.strip()
    if not text:
        return initiatives
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return initiatives.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    for word in text.split():
        initiatives = initiatives.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(ozg_reference__icontains=word)
            | Q(description__icontains=word)
        )
    return initiatives.annotate(rank=Value(0.0, output_field=FloatField()))


def count_by_area(initiatives: QuerySet) -> dict[int, int]:
    # No filter joins a many-valued relation (the partner filter is a subquery), so rows are
    # unique: COUNT(*) – no DISTINCT, which would sort every initiative on each request, and
    # not COUNT(id), which keeps PostgreSQL from counting from the index alone.
    rows = initiatives.order_by().values("area").annotate(count=Count("*"))
    return {row["area"]: row["count"] for row in rows}


def timeline(initiative: Initiative):
    return initiative.events.select_related("actor", "partner").order_by("created_at", "pk")


def comments(initiative: Initiative):
    return initiative.comments.select_related("author", "partner").order_by("created_at", "pk")


# The detail page shows the comments in pages of this many, the newest page first: an
# initiative with thousands of comments must not make a page of thousands.
COMMENTS_PER_PAGE = 50


def comment_page_of(comment: Comment) -> int:
    """The number of the comment page that holds `comment`."""
    before = Comment.objects.filter(initiative_id=comment.initiative_id).filter(
        Q(created_at__lt=comment.created_at) | Q(created_at=comment.created_at, pk__lt=comment.pk)
    )
    return before.count() // COMMENTS_PER_PAGE + 1


def comment_url(comment: Comment) -> str:
    """Where a comment stands: its initiative, on its page, at its anchor."""
    detail = reverse("initiatives:initiative_detail", args=[comment.initiative_id])
    return f"{detail}?kommentare={comment_page_of(comment)}#kommentar-{comment.pk}"


def followed(user, *, limit: int) -> list[Follow]:
    """The initiatives `user` follows, most recently active first, each with its last step
    (`last_kind`, `last_at`), the number of others' comments since the person last opened it
    (`unread`) and the number of follows (`total`): one query."""
    steps = InitiativeEvent.objects.filter(initiative_id=OuterRef("initiative_id")).order_by(
        "-created_at", "-pk"
    )
    unread = (
        Comment.objects.filter(
            initiative_id=OuterRef("initiative_id"),
            created_at__gt=Coalesce(OuterRef("last_seen_at"), OuterRef("created_at")),
        )
        .exclude(author_id=user.pk)
        .order_by()
        .values("initiative_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    follows = (
        Follow.objects.filter(user_id=user.pk)
        .select_related("initiative")
        .only("created_at", "last_seen_at", "initiative__title", "initiative__status")
        .annotate(
            last_kind=Subquery(steps.values("kind")[:1]),
            last_at=Subquery(steps.values("created_at")[:1]),
            unread=Coalesce(Subquery(unread), 0),
            total=Window(Count("pk")),
        )
        .order_by("-initiative__last_activity_at", "-initiative_id")
    )
    return list(follows[:limit])


def own_proposals(user, *, limit: int) -> list[Initiative]:
    """The proposals `user` made that still wait for commitments, oldest first, each with its
    number of commitments (`commitments`) and of proposals (`total`)."""
    committed = Q(participations__stage=Participation.Stage.COMMITTED)
    proposals = (
        Initiative.objects.filter(proposer_id=user.pk, status=Initiative.Status.PROPOSED)
        .only("title", "created_at")
        .annotate(commitments=Count("participations", filter=committed), total=Window(Count("pk")))
        .order_by("created_at", "pk")
    )
    return list(proposals[:limit])
