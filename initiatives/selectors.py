"""Reads of the initiative pages: search, counts per field of work, timeline and comments.

The common-ground matrix is in common_ground, what the digest reads in activity."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, FloatField, Q, QuerySet, Value

from initiatives import discussion
from initiatives.models import Comment, Initiative

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


# The comments: initiatives.discussion, as for every subject discussed.
COMMENTS_PER_PAGE = discussion.COMMENTS_PER_PAGE


def comment_url(comment: Comment) -> str:
    """Where a comment stands: its initiative, on its page, at its anchor."""
    return discussion.comment_url(discussion.INITIATIVES, comment)
