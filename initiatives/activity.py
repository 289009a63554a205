"""What happened to initiatives, for the digest (partners.activity describes the shape): the
steps of initiatives, comments, newly recorded solutions and the proposals awaiting a decision.

The three kinds of record are read as rows of one shape (`_steps`, `_comments`, `_solutions`)
and made items by one function (`_item`): the digest's window and a person's newest are each
one query (UNION ALL), as in positions.activity."""

from collections import defaultdict
from operator import itemgetter

from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from initiatives.workflow import commitments_to_activate_in_words
from partners.activity import (
    Activity,
    CompiledOnce,
    Newest,
    Reader,
    Section,
    count_of,
    newest_of,
    with_total,
)

# The steps of an initiative the digest reports (section Initiativen), as German sentences.
ACTIVITY_TEXTS = {
    InitiativeEvent.Kind.PROPOSED: gettext_lazy("{partner} schlägt „{title}“ vor."),
    InitiativeEvent.Kind.ACTIVATED: gettext_lazy(
        "„{title}“ ist aktiv: {needed} Partner haben zugesagt."
    ),
    InitiativeEvent.Kind.PAUSED: gettext_lazy("{partner} hat „{title}“ pausiert."),
    InitiativeEvent.Kind.RESUMED: gettext_lazy("{partner} hat „{title}“ fortgesetzt."),
    InitiativeEvent.Kind.COMPLETED: gettext_lazy("{partner} hat „{title}“ abgeschlossen."),
    InitiativeEvent.Kind.COMMITTED: gettext_lazy("{partner} beteiligt sich an „{title}“."),
    InitiativeEvent.Kind.ADOPTED: gettext_lazy("{partner} nutzt das Ergebnis von „{title}“ nach."),
}

# Which kind of record a row is; at the same moment steps come before comments before
# solutions (the order in which the digest has always listed them).
STEP, COMMENT, SOLUTION = 0, 1, 2


def _text(value: str = ""):
    return Value(value, output_field=CharField())


def _steps(steps):
    """Rows of `steps` (InitiativeEvents of the kinds in ACTIVITY_TEXTS) for `_item`."""
    return steps.annotate(part=Value(STEP)).values_list(
        "created_at",
        "pk",
        "part",
        "kind",
        "partner_id",
        "actor_id",
        "partner__name",
        "initiative_id",
        "initiative__title",
        "initiative__area_id",
        _text(),
        _text(),
    )


def _comments(comments):
    """Rows of `comments` for `_item`, in the shape of `_steps` (with the author's name)."""
    return comments.annotate(part=Value(COMMENT)).values_list(
        "created_at",
        "pk",
        "part",
        _text(),
        "partner_id",
        "author_id",
        "partner__name",
        "initiative_id",
        "initiative__title",
        "initiative__area_id",
        "author__name",
        _text(),
    )


def _solutions(solutions):
    """Rows of `solutions` for `_item`, in the shape of `_steps` (the product as the title,
    with the field's name and the product's key)."""
    return solutions.annotate(part=Value(SOLUTION)).values_list(
        "created_at",
        "pk",
        "part",
        _text(),
        "partner_id",
        "recorded_by_id",
        "partner__name",
        Value(None, output_field=IntegerField()),
        "product",
        "area_id",
        "area__name",
        "product_key",
    )


def _item(row) -> Activity:
    """An Activity from a row of `_steps`, `_comments` or `_solutions`."""
    at, pk, part, kind, partner_id, actor_id, partner, initiative_id, title, area_id = row[:10]
    name, product_key = row[10:12]
    if part == STEP:
        activated = kind == InitiativeEvent.Kind.ACTIVATED
        return Activity(
            section=Section.INITIATIVES,
            at=at,
            text=ACTIVITY_TEXTS[kind].format(
                partner=partner or _("Ein Partner"),
                title=title,
                # Only activation names the number (a word, translated: worth asking only then).
                needed=commitments_to_activate_in_words() if activated else "",
            ),
            path=reverse("initiatives:initiative_detail", args=[initiative_id]),
            # Activation is the others' commitments at work: the lead hears of it, too.
            partner_id=None if activated else partner_id,
            actor_id=actor_id,
            area_id=area_id,
        )
    if part == COMMENT:
        author = _("ehemalige Person") if name is None else name  # the author's account is gone
        if partner:
            author = f"{author} ({partner})"
        return Activity(
            section=Section.DISCUSSION,
            at=at,
            text=_("{author} hat „{title}“ kommentiert.").format(author=author, title=title),
            path=reverse("initiatives:comment_link", args=[pk]),
            partner_id=partner_id,
            actor_id=actor_id,
            area_id=area_id,
            initiative_id=initiative_id,
        )
    return Activity(
        section=Section.SOLUTIONS,
        at=at,
        text=_("{partner} setzt im Arbeitsfeld {area} „{product}“ ein.").format(
            partner=partner, area=name, product=title
        ),
        path=reverse("initiatives:common_ground"),
        partner_id=partner_id,
        actor_id=actor_id,
        area_id=area_id,
        product=(area_id, product_key),
    )


def activity(*, since, until) -> list[Activity]:
    """What happened to initiatives in the window (since, until]: new proposals, status changes,
    commitments and adoptions, comments and newly recorded solutions, in one query. The digest
    decides who sees which (comments only for followers, solutions only where they overlap);
    `newest` asks the same for one person in SQL."""
    window = Q(created_at__gt=since, created_at__lte=until)
    steps = _steps(InitiativeEvent.objects.filter(window, kind__in=list(ACTIVITY_TEXTS)))
    comments = _comments(Comment.objects.filter(window))
    solutions = _solutions(Solution.objects.of_members().filter(window))
    rows = steps.order_by().union(comments.order_by(), solutions.order_by(), all=True)
    return [_item(row) for row in sorted(rows, key=itemgetter(0, 2, 1))]  # time, part, pk


def newest(*, reader: Reader, since, until, limit: int) -> list[Newest]:
    """One person's share of `activity` in (since, until], filtered in SQL by the digest's
    rules (see `Reader`): the newest `limit` and their number, in one query."""
    parts = []
    window = Q(created_at__gt=since, created_at__lte=until)
    areas = Q(initiative__area_id__in=reader.areas) if reader.areas else Q()
    if reader.area is not None:
        areas &= Q(initiative__area_id=reader.area)
    if reader.wants(Section.INITIATIVES):
        events = InitiativeEvent.objects.filter(window, areas, kind__in=list(ACTIVITY_TEXTS))
        activated = Q(kind=InitiativeEvent.Kind.ACTIVATED)
        if reader.partner_id is not None:
            events = events.exclude(~activated, partner_id=reader.partner_id)
        if reader.partner is not None:
            events = events.filter(~activated, partner_id=reader.partner)
        parts.append((_steps, events.exclude(actor_id=reader.user_id)))
    if reader.wants(Section.DISCUSSION):
        followed = Follow.objects.filter(user_id=reader.user_id).values("initiative_id")
        comments = Comment.objects.filter(window, areas, initiative_id__in=followed)
        if reader.partner_id is not None:
            comments = comments.exclude(partner_id=reader.partner_id)
        if reader.partner is not None:
            comments = comments.filter(partner_id=reader.partner)
        parts.append((_comments, comments.exclude(author_id=reader.user_id)))
    if reader.wants(Section.SOLUTIONS) and reader.partner_id is not None:
        ours = Solution.objects.filter(
            partner_id=reader.partner_id,
            area_id=OuterRef("area_id"),
            product_key=OuterRef("product_key"),
        )
        solutions = (
            Solution.objects.of_members()
            .filter(window, Exists(ours))
            .exclude(partner_id=reader.partner_id)
            .exclude(recorded_by_id=reader.user_id)
        )
        if reader.areas:
            solutions = solutions.filter(area_id__in=reader.areas)
        if reader.area is not None:
            solutions = solutions.filter(area_id=reader.area)
        if reader.partner is not None:
            solutions = solutions.filter(partner_id=reader.partner)
        parts.append((_solutions, solutions))
    return newest_of(parts, limit=limit, make=_item)


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


DECIDED = [Participation.Stage.COMMITTED, Participation.Stage.DECLINED]


def waiting_item(pk, title, area_id, lead, created_at) -> Activity:
    return Activity(
        section=Section.WAITING,
        at=created_at,
        text=_("„{title}“ ({lead}): Ihre Zusage oder Absage fehlt noch.").format(
            title=title, lead=lead
        ),
        path=reverse("initiatives:initiative_detail", args=[pk]),
        area_id=area_id,
        action=reverse("initiatives:participation", args=[pk]),
        choices=(
            ("stage", Participation.Stage.COMMITTED, _("Zusagen")),
            ("stage", Participation.Stage.DECLINED, _("Absagen")),
        ),
    )


WAITING_FIELDS = ("pk", "title", "area_id", "lead_partner__name", "created_at")


def awaiting_commitment(partner_ids, *, limit: int) -> dict[int, tuple[list[Activity], int]]:
    """For each of these partners, the oldest `limit` proposals on which it has neither
    committed nor declined, and how many there are (the digest's "Wartet auf Ihre Entscheidung"
    for department heads). Only the shown ones become items: nationally every head has
    thousands of open proposals, and a batch of heads must not build millions."""
    if not partner_ids:
        return {}
    if len(partner_ids) == 1:  # one head (the overview): all in one query
        [partner_id] = partner_ids
        return {partner_id: awaiting_commitment_of(partner_id, limit=limit)}
    open_proposals = Initiative.objects.filter(status=Initiative.Status.PROPOSED)
    decided = defaultdict(set)
    for partner_id, initiative_id in (
        Participation.objects.filter(
            initiative__status=Initiative.Status.PROPOSED,
            partner_id__in=partner_ids,
            stage__in=DECIDED,
        )
        .order_by()
        .values_list("partner_id", "initiative_id")
    ):
        decided[partner_id].add(initiative_id)
    # A partner's oldest `limit` undecided proposals are among the oldest (its decided + limit).
    needed = max((len(ids) for ids in decided.values()), default=0) + limit
    rows = list(
        with_total(open_proposals)
        .order_by("created_at", "pk")
        .values_list(*WAITING_FIELDS, "total")[:needed]
    )
    total = rows[0][-1] if rows else 0
    proposals = [row[:-1] for row in rows]
    # Most heads wait on the same oldest proposals: one item each, shared by their digests
    # (which then render its line once).
    made = {}
    waiting = {}
    for partner_id in partner_ids:
        shown = []
        for proposal in proposals:
            if len(shown) == limit:
                break
            if proposal[0] not in decided[partner_id]:
                if proposal[0] not in made:
                    made[proposal[0]] = waiting_item(*proposal)
                shown.append(made[proposal[0]])
        # max: a proposal may become active between the two reads and still count as decided.
        waiting[partner_id] = (shown, max(0, total - len(decided[partner_id])))
    return waiting


def _undecided_proposals(limit: int, *, partner_id: int):
    open_proposals = Initiative.objects.filter(status=Initiative.Status.PROPOSED)
    decided = Participation.objects.filter(partner_id=partner_id, stage__in=DECIDED)
    decided_open = decided.filter(initiative__status=Initiative.Status.PROPOSED)
    return (
        open_proposals.exclude(Exists(decided.filter(initiative_id=OuterRef("pk"))))
        .annotate(total=count_of(open_proposals) - count_of(decided_open))
        .order_by("created_at", "pk")
        .values_list(*WAITING_FIELDS, "total")[:limit]
    )


# Asked on every overview of a department head: built and compiled once per process.
UNDECIDED_PROPOSALS = CompiledOnce(_undecided_proposals, partner_id=-730_019_001)


def awaiting_commitment_of(partner_id: int, *, limit: int) -> tuple[list[Activity], int]:
    """`awaiting_commitment` of one partner in one query: the undecided proposals found in SQL,
    their number as all open proposals less those the partner decided (two counts from
    indexes, rather than probing every open proposal)."""
    rows = UNDECIDED_PROPOSALS.rows(limit=limit, partner_id=partner_id)
    total = max(0, rows[0][-1]) if rows else 0
    return [waiting_item(*row[:-1]) for row in rows], total
