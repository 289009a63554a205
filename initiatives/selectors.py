"""Reads of the initiative pages: search, counts per field of work, timeline and comments.

The common-ground matrix is in common_ground, what the digest reads in activity."""

import functools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import Contains, Regex

from initiatives import discussion
from initiatives.models import Comment, Follow, Initiative, InitiativeEvent, Participation

SEARCH_CONFIG = "german"
# A search shows at most this many matches ("über 1.000"): counting or ranking every match of
# a word that nearly every initiative holds ("Antrag") read 50,000 search vectors.
SEARCH_CAP = 1000
# Words this long are also found inside compounds ("Parkausweis" in "Anwohnerparkausweise").
COMPOUND_PART_MIN_LENGTH = 4
PLAIN_WORD = re.compile(r"\w+")


class SearchWords(Func):
    """Title and summary in lower case, as the trigram index initiative_words_trgm holds them
    (migration 0010): it serves LIKE '%…%' on them."""

    template = "lower(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class Microseconds(Func):
    """A point in time as microseconds since 1970 – exact, in the same order, and an integer:
    1,300 of them cost PostgreSQL's client a fifth of the CPU of as many datetimes."""

    template = "(extract(epoch FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


def search(initiatives: QuerySet, text: str) -> QuerySet:
    """Initiatives matching `text`.

    PostgreSQL: German full-text search in web-search syntax ("Anträge" finds "Antrag",
    "-Wohngeld" excludes, "\"digitale Akte\"" is a phrase) over the GIN-indexed vector; or, for
    plain words, the German stem of each word within title or summary, so that parts of
    compounds find their words ("Parkausweise" and "Anwohnerpark" find
    "Anwohnerparkausweise"), served by a trigram index. by_relevance() ranks matches in the
    title first, then in the summary. SQLite (the embedded demo): every word must appear in
    title, summary, OZG reference or description.
    """
    text = text.strip()
    if not text:
        return initiatives
    if connection.vendor == "postgresql":
        matches = Q(search_vector=_query(text))
        if stems := _compound_parts(text):
            # The stems first: PostgreSQL tests an OR's parts in their order, and a row found
            # in its title or summary then needs no reading of its search vector (stored
            # apart, TOAST): for "Antrag", in most titles, a count reads half the pages.
            in_words = SearchWords(F("title"), F("summary"))
            matches = Q(*(Contains(in_words, stem) for stem in stems)) | matches
        return initiatives.filter(matches)
    for word in text.split():
        initiatives = initiatives.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(ozg_reference__icontains=word)
            | Q(description__icontains=word)
        )
    return initiatives


@functools.lru_cache(maxsize=1024)  # a search asks for its stems with every count
def _compound_parts(text: str) -> tuple[str, ...]:
    """The German stems of the words of `text` ("parkausweis" of "Parkausweisen") to look for
    inside words, when it is plain words (no phrase, exclusion or "or") each long enough not
    to be found everywhere; else none."""
    words = text.lower().split()
    if "or" in words or not all(PLAIN_WORD.fullmatch(word) for word in words):
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce((ts_lexize('german_stem', word))[1], word) "
            "FROM unnest(%s::text[]) AS word",
            [words],
        )
        stems = tuple(stem for (stem,) in cursor.fetchall())
    return stems if all(len(stem) >= COMPOUND_PART_MIN_LENGTH for stem in stems) else ()


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def by_relevance(initiatives: QuerySet, text: str, *, candidates: int | None = None) -> QuerySet:
    """`initiatives` (found by search()) ordered best first: those with the words in the title
    before those with them in the summary before the rest, each newest first (score()); for a
    search that is not plain words, full-text matches by their rank. With `candidates`, only
    that many of the newest matches are ranked – reading a few rows, not every match,
    whatever the number of matches."""
    if connection.vendor != "postgresql":
        return initiatives.order_by("-created_at", "-id")
    if candidates is not None:
        # The newest matches, ranked without testing them again.
        newest = initiatives.order_by("-created_at", "-id").values("pk")[:candidates]
        initiatives = initiatives.model.objects.filter(pk__in=newest)
    rank = score(text)
    if rank is None:
        rank = SearchRank(F("search_vector"), _query(text))
    return initiatives.alias(rank=rank).order_by("-rank", "-created_at", "-id")


def _scored_stems(text: str) -> tuple[str, ...]:
    """The stems score() counts: none for searches that are not plain words, and on SQLite."""
    return _compound_parts(text.strip()) if connection.vendor == "postgresql" else ()


def score(text: str) -> Expression | None:
    """How well an initiative matches the plain words of `text`: for each word's stem, 3 when a
    word of the title starts with it ("Parkausweis digital"), 2 when the title holds it inside
    a word ("Anwohnerparkausweise"), else 1 when the summary holds it, else 0; summed. None for
    searches that are not plain words (phrases, "-word", "or", short words: ranked by full-text
    rank) and on SQLite. score_of() gives the same points for rows already read."""
    stems = _scored_stems(text)
    if not stems:
        return None
    title, summary = Lower("title"), Lower("summary")
    # Contains escapes LIKE's wildcards in a stem ("_" is a word character); a stem is word
    # characters only (_compound_parts), none of them special in a regular expression.
    parts = [
        Case(
            When(Regex(title, rf"\m{stem}"), then=Value(3)),
            When(Contains(title, stem), then=Value(2)),
            When(Contains(summary, stem), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for stem in stems
    ]
    return functools.reduce(operator.add, parts)


def score_of(stems: tuple[str, ...]) -> Callable[[str, str], int]:
    """score() in Python: the points of a title and summary for `stems` (PostgreSQL's \\m, the
    start of a word, is Python's \\b before a word character)."""
    starts = [(re.compile(rf"\b{re.escape(stem)}"), stem) for stem in stems]

    def points(title: str, summary: str) -> int:
        title, summary = title.lower(), summary.lower()
        total = 0
        for start, stem in starts:
            if start.search(title):
                total += 3
            elif stem in title:
                total += 2
            elif stem in summary:
                total += 1
        return total

    return points


def count_by_area(initiatives: QuerySet, areas=(), *, cap: int | None = None) -> dict[int, int]:
    """How many of `initiatives` each field of work holds. With `cap`, counted up to cap + 1
    per field of `areas` (a count above the cap means "more than cap"): for searches, whose
    matches are not counted from an index alone."""
    if cap is None:
        # No filter joins a many-valued relation (the partner filter is a subquery), so rows
        # are unique: COUNT(*) – no DISTINCT, which would sort every initiative on each
        # request, and not COUNT(id), which keeps PostgreSQL from counting from the index
        # alone.
        rows = initiatives.order_by().values("area").annotate(count=Count("*"))
        return {row["area"]: row["count"] for row in rows}
    return count_matches(initiatives, areas, cap=cap)[0]


def count_matches(
    initiatives: QuerySet, areas, *, cap: int, text: str = ""
) -> tuple[dict[int, int], list[tuple[int, int, object, int]] | None]:
    """The counts of count_by_area(cap=…), and the (field of work, id, age, score) of every one
    of `initiatives` when counting read them all – fewer than cap + 1 per field –, else None:
    a search's ranking can then sort its matches by themselves instead of searching a second
    time. The age sorts as created_at does (microseconds on PostgreSQL); the score is score()
    of the search `text` (0 for every match when it has none), computed here from the title and
    summary the count reads with each match: in PostgreSQL, its case-folding LIKEs cost 9 µs a
    row, as much as ranking with a second query, and for a word in most initiatives they would
    be spent on rows that are never ranked."""
    # One pass over at most cap + 1 matches per field; only a field that stays below its cap
    # in a pass cut short is counted again by itself.
    enough = len(areas) * (cap + 1)
    age = Microseconds("created_at") if connection.vendor == "postgresql" else F("created_at")
    stems = _scored_stems(text)
    columns = ("area", "pk", "age", "title", "summary") if stems else ("area", "pk", "age")
    rows = list(initiatives.order_by().annotate(age=age).values_list(*columns)[:enough])
    counts = Counter(row[0] for row in rows)
    if len(rows) < enough:
        if not stems:
            return dict(counts), [(area, pk, age, 0) for area, pk, age in rows]
        points = score_of(stems)
        return dict(counts), [
            (area, pk, age, points(title, summary)) for area, pk, age, title, summary in rows
        ]
    unsure = [area for area in areas if counts[area.pk] <= cap]
    if not unsure:
        return dict(counts), None
    parts = [
        initiatives.filter(area=area).order_by().values("pk")[: cap + 1].query.sql_with_params()
        for area in unsure
    ]
    # Django's own SQL of each part, with its parameters passed on: nothing from the request
    # is put into the text.
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM ({part}) AS part" for part, _ in parts)  # noqa: S608
    params = [
        value for area, (_, part) in zip(unsure, parts, strict=True) for value in (area.pk, *part)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts.update(dict(cursor.fetchall()))
    return dict(counts), None


def with_ids(ids: list[int]) -> QuerySet:
    """The initiatives of `ids`. PostgreSQL gets them as one array: an IN list of 1,300
    parameters took 5 ms of CPU to build and send, as long as searching again."""
    if connection.vendor == "postgresql":
        return Initiative.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    return Initiative.objects.filter(pk__in=ids)


def timeline(initiative: Initiative):
    return initiative.events.select_related("actor", "partner").order_by("created_at", "pk")


# The comments: initiatives.discussion, as for every subject discussed.
COMMENTS_PER_PAGE = discussion.COMMENTS_PER_PAGE


def comment_url(comment: Comment) -> str:
    """Where a comment stands: its initiative, on its page, at its anchor."""
    return discussion.comment_url(discussion.INITIATIVES, comment)


def followed(user) -> QuerySet[Follow]:
    """The initiatives `user` follows, most recently active first, each with its last step
    (`last_kind`, `last_at`) and the number of others' comments since the person last opened it
    (`unread`)."""
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
    return (
        Follow.objects.filter(user_id=user.pk)
        .select_related("initiative")
        .only("created_at", "last_seen_at", "initiative__title", "initiative__status")
        .annotate(
            last_kind=Subquery(steps.values("kind")[:1]),
            last_at=Subquery(steps.values("created_at")[:1]),
            unread=Coalesce(Subquery(unread), 0),
        )
        .order_by("-initiative__last_activity_at", "-initiative_id")
    )


def own_proposals(user, *, limit: int) -> list[Initiative]:
    """The proposals `user` made that still wait for commitments, oldest first, each with its
    number of commitments (`commitments`)."""
    committed = Q(participations__stage=Participation.Stage.COMMITTED)
    proposals = (
        Initiative.objects.filter(proposer_id=user.pk, status=Initiative.Status.PROPOSED)
        .only("title", "created_at")
        .annotate(commitments=Count("participations", filter=committed))
        .order_by("created_at", "pk")
    )
    return list(proposals[:limit])


class TakingPart(NamedTuple):
    partner_name: str
    stage: str


def attach_taking_part(initiatives: Iterable[Initiative]) -> None:
    """Sets `taking_part` on each of `initiatives`: the partners taking part (TakingPart), in
    the order of their names. One query of three columns: a list page's hundred or so
    participations as tuples cost a fraction of as many model objects with their partners
    (issue 20)."""
    shown = {}
    for initiative in initiatives:
        initiative.taking_part = shown.setdefault(initiative.pk, [])
    if not shown:
        return
    rows = (
        Participation.objects.taking_part()
        .filter(initiative_id__in=list(shown))
        .order_by("partner__name", "pk")
        .values_list("initiative_id", "partner__name", "stage")
    )
    for initiative_id, partner_name, stage in rows:
        shown[initiative_id].append(TakingPart(partner_name, stage))
