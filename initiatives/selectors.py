"""Reads that views (and later the digest) share: search, counts, the common-ground matrix."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, FloatField, Q, QuerySet, Value
from django.utils.translation import gettext as _

from initiatives.models import Area, Initiative, Solution
from partners.models import Partner

SEARCH_CONFIG = "german"
# How many shared products the common-ground page shows per field of work.
SHARED_PRODUCTS_PER_AREA = 25


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
    rows = initiatives.order_by().values("area").annotate(count=Count("pk", distinct=True))
    return {row["area"]: row["count"] for row in rows}


def timeline(initiative: Initiative):
    return initiative.events.select_related("actor", "partner").order_by("created_at", "pk")


def comments(initiative: Initiative):
    return initiative.comments.select_related("author", "partner").order_by("created_at", "pk")


@dataclass
class SharedProduct:
    area: Area
    product: str
    vendors: list[str] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)


@dataclass
class CommonGround:
    areas: list[Area]
    # partner id -> area id -> that partner's solutions in that field
    cells: dict[int, dict[int, list[Solution]]]
    shared: dict[int, list[SharedProduct]]


def common_ground(partners) -> CommonGround:
    """The solutions of `partners` (a page of them) per field of work, and the products that
    two or more member partners run, per field, most widely shared first."""
    areas = list(Area.objects.all())
    cells: dict[int, dict[int, list[Solution]]] = defaultdict(lambda: defaultdict(list))
    for solution in Solution.objects.filter(partner__in=partners).order_by("product_key"):
        cells[solution.partner_id][solution.area_id].append(solution)

    widely_used = (
        Solution.objects.of_members()
        .values("area", "product_key")
        .annotate(partner_count=Count("partner", distinct=True))
        .filter(partner_count__gte=2)
        .order_by("-partner_count", "product_key")
    )
    keys_by_area: dict[int, list[str]] = defaultdict(list)
    for row in widely_used:
        if len(keys_by_area[row["area"]]) < SHARED_PRODUCTS_PER_AREA:
            keys_by_area[row["area"]].append(row["product_key"])
    shared: dict[int, list[SharedProduct]] = {area.pk: [] for area in areas}
    if keys_by_area:
        wanted = Q()
        for area_id, keys in keys_by_area.items():
            wanted |= Q(area_id=area_id, product_key__in=keys)
        by_key: dict[tuple[int, str], SharedProduct] = {}
        area_by_id = {area.pk: area for area in areas}
        for solution in (
            Solution.objects.of_members().filter(wanted).select_related("partner").order_by("pk")
        ):
            key = (solution.area_id, solution.product_key)
            entry = by_key.setdefault(
                key, SharedProduct(area=area_by_id[solution.area_id], product=solution.product)
            )
            entry.partners.append(solution.partner)
            if solution.vendor and solution.vendor not in entry.vendors:
                entry.vendors.append(solution.vendor)
        for area_id, keys in keys_by_area.items():
            shared[area_id] = [by_key[(area_id, key)] for key in keys if (area_id, key) in by_key]
    for entries in shared.values():
        for entry in entries:
            entry.partners.sort(key=lambda partner: partner.name)
    return CommonGround(
        areas=areas, cells={pid: dict(row) for pid, row in cells.items()}, shared=shared
    )


def proposal_from_shared_product(*, area: Area, product: str) -> dict:
    """Initial values of a proposal that starts from a product several partners run."""
    return {
        "area": area,
        "title": _("Gemeinsam: %(product)s") % {"product": product},
        "summary": _(
            "Mehrere Partner setzen %(product)s ein. Wir prüfen, was wir gemeinsam betreiben, "
            "beschaffen oder weiterentwickeln können."
        )
        % {"product": product},
    }
