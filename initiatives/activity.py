"""What happened to initiatives, for the digest (partners.activity describes the shape): the
steps of initiatives, comments, newly recorded solutions and the proposals awaiting a decision."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
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
from partners.activity import Activity, Newest, Reader, Section, count_of, with_total

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


def event_item(event, initiative) -> Activity:
    activated = event.kind == InitiativeEvent.Kind.ACTIVATED
    return Activity(
        section=Section.INITIATIVES,
        at=event.created_at,
        text=ACTIVITY_TEXTS[event.kind].format(
            partner=event.partner.name if event.partner else _("Ein Partner"),
            title=initiative.title,
            # Only activation names the number (a word, translated: worth asking only then).
            needed=commitments_to_activate_in_words() if activated else "",
        ),
        path=reverse("initiatives:initiative_detail", args=[initiative.pk]),
        # Activation is the others' commitments at work: the lead hears of it, too.
        partner_id=None if activated else event.partner_id,
        actor_id=event.actor_id,
        area_id=initiative.area_id,
    )


def comment_item(comment, initiative) -> Activity:
    author = comment.author.name if comment.author else _("ehemalige Person")
    if comment.partner:
        author = f"{author} ({comment.partner.name})"
    return Activity(
        section=Section.DISCUSSION,
        at=comment.created_at,
        text=_("{author} hat „{title}“ kommentiert.").format(author=author, title=initiative.title),
        path=reverse("initiatives:comment_link", args=[comment.pk]),
        partner_id=comment.partner_id,
        actor_id=comment.author_id,
        area_id=initiative.area_id,
        initiative_id=initiative.pk,
    )


def solution_item(solution) -> Activity:
    return Activity(
        section=Section.SOLUTIONS,
        at=solution.created_at,
        text=_("{partner} setzt im Arbeitsfeld {area} „{product}“ ein.").format(
            partner=solution.partner.name, area=solution.area.name, product=solution.product
        ),
        path=reverse("initiatives:common_ground"),
        partner_id=solution.partner_id,
        actor_id=solution.recorded_by_id,
        area_id=solution.area_id,
        product=(solution.area_id, solution.product_key),
    )


EVENT_FIELDS = ("kind", "created_at", "actor_id", "partner__name", "initiative_id")
COMMENT_FIELDS = ("created_at", "author__name", "partner__name", "initiative_id")
SOLUTION_FIELDS = (
    "product",
    "product_key",
    "created_at",
    "recorded_by_id",
    "partner__name",
    "area",
)


def activity(*, since, until) -> list[Activity]:
    """What happened to initiatives in the window (since, until]: new proposals, status changes,
    commitments and adoptions, comments and newly recorded solutions. The digest decides who
    sees which (comments only for followers, solutions only where they overlap); `newest` asks
    the same for one person in SQL."""
    events = (
        InitiativeEvent.objects.filter(
            created_at__gt=since, created_at__lte=until, kind__in=list(ACTIVITY_TEXTS)
        )
        .select_related("partner")
        .only(*EVENT_FIELDS)
        .order_by("created_at", "pk")
    )
    comments = (
        Comment.objects.filter(created_at__gt=since, created_at__lte=until)
        .select_related("partner", "author")
        .only(*COMMENT_FIELDS)
        .order_by("created_at", "pk")
    )
    events, comments = list(events), list(comments)
    initiative_ids = {event.initiative_id for event in events} | {
        comment.initiative_id for comment in comments
    }
    initiatives = Initiative.objects.filter(pk__in=initiative_ids).only("title", "area_id")
    initiatives = {initiative.pk: initiative for initiative in initiatives}
    items = [event_item(event, initiatives[event.initiative_id]) for event in events]
    items += [comment_item(comment, initiatives[comment.initiative_id]) for comment in comments]
    solutions = (
        Solution.objects.of_members()
        .filter(created_at__gt=since, created_at__lte=until)
        .select_related("partner", "area")
        .only(*SOLUTION_FIELDS)
        .order_by("created_at", "pk")
    )
    items += [solution_item(solution) for solution in solutions]
    return items


def newest(*, reader: Reader, since, until, limit: int) -> list[Newest]:
    """One person's share of `activity` in (since, until], filtered in SQL by the digest's
    rules (see `Reader`): per kind of record the newest `limit`, newest first, with their
    number."""
    found = []
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
        events = (
            events.exclude(actor_id=reader.user_id)
            .select_related("partner", "initiative")
            .only(*EVENT_FIELDS, "initiative__title", "initiative__area_id")
            .order_by("-created_at", "-pk")
        )
        events = with_total(events)
        found.append(Newest.of(events[:limit], lambda e: event_item(e, e.initiative)))
    if reader.wants(Section.DISCUSSION):
        followed = Follow.objects.filter(user_id=reader.user_id).values("initiative_id")
        comments = Comment.objects.filter(window, areas, initiative_id__in=followed)
        if reader.partner_id is not None:
            comments = comments.exclude(partner_id=reader.partner_id)
        if reader.partner is not None:
            comments = comments.filter(partner_id=reader.partner)
        comments = (
            comments.exclude(author_id=reader.user_id)
            .select_related("partner", "author", "initiative")
            .only(*COMMENT_FIELDS, "initiative__title", "initiative__area_id")
            .order_by("-created_at", "-pk")
        )
        comments = with_total(comments)
        found.append(Newest.of(comments[:limit], lambda c: comment_item(c, c.initiative)))
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
        solutions = (
            solutions.select_related("partner", "area")
            .only(*SOLUTION_FIELDS)
            .order_by("-created_at", "-pk")
        )
        found.append(Newest.of(with_total(solutions)[:limit], solution_item))
    return found


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


def awaiting_commitment_of(partner_id: int, *, limit: int) -> tuple[list[Activity], int]:
    """`awaiting_commitment` of one partner in one query: the undecided proposals found in SQL,
    their number as all open proposals less those the partner decided (two counts from
    indexes, rather than probing every open proposal)."""
    open_proposals = Initiative.objects.filter(status=Initiative.Status.PROPOSED)
    decided = Participation.objects.filter(partner_id=partner_id, stage__in=DECIDED)
    decided_open = decided.filter(initiative__status=Initiative.Status.PROPOSED)
    rows = list(
        open_proposals.exclude(Exists(decided.filter(initiative_id=OuterRef("pk"))))
        .annotate(total=count_of(open_proposals) - count_of(decided_open))
        .order_by("created_at", "pk")
        .values_list(*WAITING_FIELDS, "total")[:limit]
    )
    total = max(0, rows[0][-1]) if rows else 0
    return [waiting_item(*row[:-1]) for row in rows], total
