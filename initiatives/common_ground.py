"""The inventory's common ground: each partner's solutions per field of work, and the products
that two or more member partners run (cached, see caching)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from initiatives import caching
from initiatives.models import Area, Solution
from partners.models import Partner

# How many shared products the common-ground page shows per field of work.
SHARED_PRODUCTS_PER_AREA = 25
# A product that thousands of partners run names the first few; the page must not grow with them.
SHARED_PARTNERS_SHOWN = 12


@dataclass
class SharedProduct:
    area: Area
    product: str
    partner_count: int = 0
    vendors: list[str] = field(default_factory=list)
    # The first SHARED_PARTNERS_SHOWN by name; partner_count says how many run it in all.
    partners: list[Partner] = field(default_factory=list)

    @property
    def more_partners(self) -> int:
        return self.partner_count - len(self.partners)


@dataclass
class CommonGround:
    areas: list[Area]
    # partner id -> area id -> that partner's solutions in that field
    cells: dict[int, dict[int, list[Solution]]]
    shared: dict[int, list[SharedProduct]]


def common_ground(partners, request=None) -> CommonGround:
    """The solutions of `partners` (a page of them) per field of work, and the products that
    two or more member partners run, per field, most widely shared first."""
    areas = list(Area.objects.all())
    cells: dict[int, dict[int, list[Solution]]] = defaultdict(lambda: defaultdict(list))
    for solution in Solution.objects.filter(partner__in=partners).order_by("product_key"):
        cells[solution.partner_id][solution.area_id].append(solution)
    return CommonGround(
        areas=areas,
        cells={pid: dict(row) for pid, row in cells.items()},
        shared=shared_products(areas, request),
    )


def shared_products(areas: list[Area], request=None) -> dict[int, list[SharedProduct]]:
    """Per field of work, the products two or more member partners run, most widely shared
    first; the same for everyone, so cached until solutions or partners change (caching)."""
    cached = caching.Cached(caching.COMMON_GROUND, "shared", request)
    shared = cached.get()
    if shared is None:
        shared = _shared_products(areas)
        cached.put(shared)
    return shared


def _shared_products(areas: list[Area]) -> dict[int, list[SharedProduct]]:
    widely_used = (
        Solution.objects.of_members()
        .values("area", "product_key")
        # A partner records a product once per field (unique), so the rows are the partners:
        # COUNT(*) needs no sort, COUNT(DISTINCT partner) sorted every solution.
        .annotate(partner_count=Count("*"))
        .filter(partner_count__gte=2)
        .order_by("-partner_count", "product_key")
    )
    keys_by_area: dict[int, list[str]] = defaultdict(list)
    counts: dict[tuple[int, str], int] = {}
    for row in widely_used:
        if len(keys_by_area[row["area"]]) < SHARED_PRODUCTS_PER_AREA:
            keys_by_area[row["area"]].append(row["product_key"])
            counts[row["area"], row["product_key"]] = row["partner_count"]
    shared: dict[int, list[SharedProduct]] = {area.pk: [] for area in areas}
    if keys_by_area:
        wanted = Q()
        for area_id, keys in keys_by_area.items():
            wanted |= Q(area_id=area_id, product_key__in=keys)
        by_key: dict[tuple[int, str], SharedProduct] = {}
        area_by_id = {area.pk: area for area in areas}
        first_by_name = Window(
            RowNumber(),
            partition_by=[F("area_id"), F("product_key")],
            order_by=[F("partner__name").asc(), F("pk").asc()],
        )
        # The positions are numbered over narrow rows (the ids), and only the shown solutions
        # are then read whole: numbered with all columns of solution and partner, the sort of
        # every solution of the shared products spilled to disk.
        shown = (
            Solution.objects.of_members()
            .filter(wanted)
            .annotate(position=first_by_name)
            .filter(position__lte=SHARED_PARTNERS_SHOWN)
            .values("pk")
        )
        for solution in (
            Solution.objects.filter(pk__in=shown)
            .select_related("partner")
            .only("area_id", "product_key", "product", "vendor", "partner__name", "partner__slug")
            .order_by("partner__name", "pk")
        ):
            key = (solution.area_id, solution.product_key)
            entry = by_key.setdefault(
                key,
                SharedProduct(
                    area=area_by_id[solution.area_id],
                    product=solution.product,
                    partner_count=counts[key],
                ),
            )
            entry.partners.append(solution.partner)
            if solution.vendor and solution.vendor not in entry.vendors:
                entry.vendors.append(solution.vendor)
        for area_id, keys in keys_by_area.items():
            shared[area_id] = [by_key[(area_id, key)] for key in keys if (area_id, key) in by_key]
    for entries in shared.values():
        for entry in entries:
            entry.partners.sort(key=lambda partner: partner.name)
    return shared


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
