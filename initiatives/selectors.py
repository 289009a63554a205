"""Reads that views and the digest share: search, counts, the common-ground matrix, activity."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, FloatField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives import caching
from initiatives.models import (
    Area,
    Comment,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from partners.activity import Activity, Section
from partners.models import Partner

SEARCH_CONFIG = "german"
# How many shared products the common-ground page shows per field of work.
SHARED_PRODUCTS_PER_AREA = 25
# A product that thousands of partners run names the first few; the page must not grow with them.
SHARED_PARTNERS_SHOWN = 12


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


def common_ground(partners) -> CommonGround:
    """The solutions of `partners` (a page of them) per field of work, and the products that
    two or more member partners run, per field, most widely shared first."""
    areas = list(Area.objects.all())
    cells: dict[int, dict[int, list[Solution]]] = defaultdict(lambda: defaultdict(list))
    for solution in Solution.objects.filter(partner__in=partners).order_by("product_key"):
        cells[solution.partner_id][solution.area_id].append(solution)
    return CommonGround(
        areas=areas,
        cells={pid: dict(row) for pid, row in cells.items()},
        shared=shared_products(areas),
    )


def shared_products(areas: list[Area]) -> dict[int, list[SharedProduct]]:
    """Per field of work, the products two or more member partners run, most widely shared
    first; the same for everyone, so cached until solutions or partners change (caching)."""
    key = caching.common_ground_key()
    shared = caching.cache.get(key)
    if shared is None:
        shared = _shared_products(areas)
        caching.cache.set(key, shared, caching.CACHE_SECONDS)
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


# The steps of an initiative the digest reports (section Initiativen), as German sentences.
ACTIVITY_TEXTS = {
    InitiativeEvent.Kind.PROPOSED: gettext_lazy("{partner} schlägt „{title}“ vor."),
    InitiativeEvent.Kind.ACTIVATED: gettext_lazy(
        "„{title}“ ist aktiv: zwei Partner haben zugesagt."
    ),
    InitiativeEvent.Kind.PAUSED: gettext_lazy("{partner} hat „{title}“ pausiert."),
    InitiativeEvent.Kind.RESUMED: gettext_lazy("{partner} hat „{title}“ fortgesetzt."),
    InitiativeEvent.Kind.COMPLETED: gettext_lazy("{partner} hat „{title}“ abgeschlossen."),
    InitiativeEvent.Kind.COMMITTED: gettext_lazy("{partner} beteiligt sich an „{title}“."),
    InitiativeEvent.Kind.ADOPTED: gettext_lazy("{partner} nutzt das Ergebnis von „{title}“ nach."),
}


def activity(*, since, until) -> list[Activity]:
    """What happened to initiatives in the window (since, until]: new proposals, status changes,
    commitments and adoptions, comments and newly recorded solutions. The digest decides who
    sees which (comments only for followers, solutions only where they overlap)."""
    items = []
    events = (
        InitiativeEvent.objects.filter(
            created_at__gt=since, created_at__lte=until, kind__in=list(ACTIVITY_TEXTS)
        )
        .select_related("partner")
        .only("kind", "created_at", "actor_id", "partner__name", "initiative_id")
        .order_by("created_at", "pk")
    )
    comments = (
        Comment.objects.filter(created_at__gt=since, created_at__lte=until)
        .select_related("partner", "author")
        .only("created_at", "author__name", "partner__name", "initiative_id")
        .order_by("created_at", "pk")
    )
    events, comments = list(events), list(comments)
    initiative_ids = {event.initiative_id for event in events} | {
        comment.initiative_id for comment in comments
    }
    initiatives = Initiative.objects.filter(pk__in=initiative_ids).only("title", "area_id")
    initiatives = {initiative.pk: initiative for initiative in initiatives}
    paths = {pk: reverse("initiatives:initiative_detail", args=[pk]) for pk in initiatives}
    for event in events:
        initiative = initiatives[event.initiative_id]
        activated = event.kind == InitiativeEvent.Kind.ACTIVATED
        items.append(
            Activity(
                section=Section.INITIATIVES,
                at=event.created_at,
                text=ACTIVITY_TEXTS[event.kind].format(
                    partner=event.partner.name if event.partner else _("Ein Partner"),
                    title=initiative.title,
                ),
                path=paths[initiative.pk],
                # Activation is the others' commitments at work: the lead hears of it, too.
                partner_id=None if activated else event.partner_id,
                actor_id=event.actor_id,
                area_id=initiative.area_id,
            )
        )
    for comment in comments:
        initiative = initiatives[comment.initiative_id]
        author = comment.author.name if comment.author else _("ehemalige Person")
        if comment.partner:
            author = f"{author} ({comment.partner.name})"
        items.append(
            Activity(
                section=Section.DISCUSSION,
                at=comment.created_at,
                text=_("{author} hat „{title}“ kommentiert.").format(
                    author=author, title=initiative.title
                ),
                path=reverse("initiatives:comment_link", args=[comment.pk]),
                partner_id=comment.partner_id,
                actor_id=comment.author_id,
                area_id=initiative.area_id,
                initiative_id=initiative.pk,
            )
        )
    solutions = (
        Solution.objects.of_members()
        .filter(created_at__gt=since, created_at__lte=until)
        .select_related("partner", "area")
        .only("product", "product_key", "created_at", "recorded_by_id", "partner__name", "area")
        .order_by("created_at", "pk")
    )
    common_ground_path = reverse("initiatives:common_ground")
    for solution in solutions:
        items.append(
            Activity(
                section=Section.SOLUTIONS,
                at=solution.created_at,
                text=_("{partner} setzt im Arbeitsfeld {area} „{product}“ ein.").format(
                    partner=solution.partner.name, area=solution.area.name, product=solution.product
                ),
                path=common_ground_path,
                partner_id=solution.partner_id,
                actor_id=solution.recorded_by_id,
                area_id=solution.area_id,
                product=(solution.area_id, solution.product_key),
            )
        )
    return items


def products_of(partner_ids, products) -> set[tuple[int, int, str]]:
    """(partner, area, product key) for the given partners' solutions among `products`
    ((area, product key) pairs): where a newly recorded solution overlaps with theirs."""
    products = set(products)
    if not partner_ids or not products:
        return set()
    rows = Solution.objects.filter(
        partner_id__in=partner_ids,
        area_id__in={area for area, _key in products},
        product_key__in={key for _area, key in products},
    ).values_list("partner_id", "area_id", "product_key")
    return {row for row in rows if (row[1], row[2]) in products}


def awaiting_commitment(partner_ids, *, limit: int) -> dict[int, tuple[list[Activity], int]]:
    """For each of these partners, the oldest `limit` proposals on which it has neither
    committed nor declined, and how many there are (the digest's "Wartet auf Ihre Entscheidung"
    for department heads). Only the shown ones become items: nationally every head has
    thousands of open proposals, and a batch of heads must not build millions."""
    if not partner_ids:
        return {}
    open_proposals = Initiative.objects.filter(status=Initiative.Status.PROPOSED)
    decided = defaultdict(set)
    for partner_id, initiative_id in (
        Participation.objects.filter(
            initiative__status=Initiative.Status.PROPOSED,
            partner_id__in=partner_ids,
            stage__in=[Participation.Stage.COMMITTED, Participation.Stage.DECLINED],
        )
        .order_by()
        .values_list("partner_id", "initiative_id")
    ):
        decided[partner_id].add(initiative_id)
    # A partner's oldest `limit` undecided proposals are among the oldest (its decided + limit).
    needed = max((len(ids) for ids in decided.values()), default=0) + limit
    proposals = list(
        open_proposals.order_by("created_at", "pk").values_list(
            "pk", "title", "area_id", "lead_partner__name", "created_at"
        )[:needed]
    )
    total = open_proposals.count() if len(proposals) == needed else len(proposals)
    # Most heads wait on the same oldest proposals: one item each, shared by their digests
    # (which then render its line once).
    made = {}

    def item(pk, title, area_id, lead, created_at) -> Activity:
        if pk not in made:
            made[pk] = Activity(
                section=Section.WAITING,
                at=created_at,
                text=_("„{title}“ ({lead}): Ihre Zusage oder Absage fehlt noch.").format(
                    title=title, lead=lead
                ),
                path=reverse("initiatives:initiative_detail", args=[pk]),
                area_id=area_id,
            )
        return made[pk]

    waiting = {}
    for partner_id in partner_ids:
        shown = []
        for proposal in proposals:
            if len(shown) == limit:
                break
            if proposal[0] not in decided[partner_id]:
                shown.append(item(*proposal))
        # max: a proposal may become active between the two reads and still count as decided.
        waiting[partner_id] = (shown, max(0, total - len(decided[partner_id])))
    return waiting
