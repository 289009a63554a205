"""The inventory's common ground: each partner's solutions per field of work, and the products
that two or more member partners run (cached, see caching)."""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext as _

from initiatives import caching
from initiatives.models import Area, Solution
from partners.models import Partner

# How many shared products the common-ground page shows per field of work.
SHARED_PRODUCTS_PER_AREA = 25
# A product that thousands of partners run names the first few; the page must not grow with them.
SHARED_PARTNERS_SHOWN = 12


@dataclass(frozen=True)
class SharedPartner:
    """A partner as a shared product names it (cached with the products: no model instance)."""

    pk: int
    name: str

    def __str__(self):
        return self.name


@dataclass
class SharedProduct:
    area: Area
    product: str
    partner_count: int = 0
    vendors: list[str] = field(default_factory=list)
    # The first SHARED_PARTNERS_SHOWN by name; partner_count says how many run it in all.
    partners: list[SharedPartner] = field(default_factory=list)

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
    shown = Solution.objects.filter(partner__in=partners).only(
        "partner_id", "area_id", "product", "vendor"
    )
    for solution in shown.order_by("product_key"):
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
    solution, partner = Solution._meta.db_table, Partner._meta.db_table
    # One query. The products two or more member partners run, numbered per field (most widely
    # shared first); the member partners numbered once by name; then each product's solutions
    # numbered by those numbers (narrow integer rows). Only the shown solutions are read
    # whole, as plain rows: model instances of them, pickled into the cache, cost more than
    # the query (docs/performance.md, issue 20).
    sql = f"""
        WITH member AS (
            SELECT id, ROW_NUMBER() OVER (ORDER BY name) AS name_no
            FROM {partner} WHERE status = %(member)s
        ), shared AS (
            SELECT * FROM (
                SELECT s.area_id, s.product_key, COUNT(*) AS partner_count,
                    ROW_NUMBER() OVER (
                        PARTITION BY s.area_id ORDER BY COUNT(*) DESC, s.product_key
                    ) AS product_no
                FROM {solution} s JOIN member m ON m.id = s.partner_id
                GROUP BY s.area_id, s.product_key HAVING COUNT(*) >= 2
            ) counted WHERE product_no <= %(products)s
        ), numbered AS (
            SELECT s.id, sh.area_id, sh.product_no, m.name_no, ROW_NUMBER() OVER (
                PARTITION BY sh.area_id, sh.product_no ORDER BY m.name_no, s.id
            ) AS shown_no
            FROM {solution} s
            JOIN shared sh ON sh.area_id = s.area_id AND sh.product_key = s.product_key
            JOIN member m ON m.id = s.partner_id
        )
        SELECT n.area_id, sh.product_key, sh.partner_count, s.product, s.vendor, p.id, p.name
        FROM numbered n
        JOIN shared sh ON sh.area_id = n.area_id AND sh.product_no = n.product_no
        JOIN {solution} s ON s.id = n.id
        JOIN {partner} p ON p.id = s.partner_id
        WHERE n.shown_no <= %(partners)s
        ORDER BY n.area_id, n.product_no, n.name_no
    """  # noqa: S608 – table names from the models, values as parameters
    params = {
        "member": Partner.Status.MEMBER,
        "products": SHARED_PRODUCTS_PER_AREA,
        "partners": SHARED_PARTNERS_SHOWN,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    area_by_id = {area.pk: area for area in areas}
    shared: dict[int, list[SharedProduct]] = {area.pk: [] for area in areas}
    # In order of field, product and partner name: one group of rows per product.
    for (area_id, _key), group in groupby(rows, key=itemgetter(0, 1)):
        solutions = list(group)
        _area, _key, partner_count, product, *_rest = solutions[0]
        entry = SharedProduct(
            area=area_by_id[area_id], product=product, partner_count=partner_count
        )
        for *_columns, vendor, partner_id, partner_name in solutions:
            entry.partners.append(SharedPartner(pk=partner_id, name=partner_name))
            if vendor and vendor not in entry.vendors:
                entry.vendors.append(vendor)
        shared[area_id].append(entry)
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
