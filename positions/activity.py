"""What happened to joint positions, for the digest (partners.activity describes the shape):
positions opened for co-signing, sent, answered; comments for their followers; and, for
department heads, the positions awaiting their partner's co-signature.

Plain functions of a time window or of partners, so that any reader of the apps' activity (the
digest, a start page) can register them beside those of the other apps. Positions speak for the
whole cooperation: their items have no field of work and reach everyone whatever fields they
chose."""

from collections import defaultdict

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.activity import (
    Activity,
    CompiledOnce,
    Newest,
    Reader,
    Section,
    count_of,
    newest_of,
)
from positions.models import (
    CoSignature,
    Position,
    PositionComment,
    PositionEvent,
    PositionFollow,
)

Kind = PositionEvent.Kind

# The steps of a position the digest reports (section Gemeinsame Positionen), in German.
ACTIVITY_TEXTS = {
    Kind.OPENED: gettext_lazy("{partner} bittet um Mitzeichnung von „{title}“ (Frist {deadline})."),
    Kind.SENT: gettext_lazy("{partner} hat „{title}“ im Namen der Mitzeichnenden versandt."),
    Kind.ANSWERED: gettext_lazy("Auf „{title}“ ist eine Antwort eingegangen."),
}


# The kind of a comment's row in `activity` (no step has it).
COMMENT = "comment"


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def _steps(steps):
    """Rows of `steps` (PositionEvents of the kinds in ACTIVITY_TEXTS) for `_item`."""
    return steps.values_list(
        "created_at",
        "pk",
        "kind",
        "partner_id",
        "actor_id",
        "position_id",
        "partner__name",
        Value("", output_field=CharField()),
        "position__title",
        "position__deadline",
    )


def _comments(comments):
    """Rows of `comments` (PositionComments) for `_item`, in the shape of `_steps`."""
    return comments.values_list(
        "created_at",
        "pk",
        Value(COMMENT, output_field=CharField()),
        "partner_id",
        "author_id",
        "position_id",
        "partner__name",
        Coalesce("author__name", Value("", output_field=CharField())),
        "position__title",
        "position__deadline",
    )


def _item(row) -> Activity:
    """An Activity from a row of `_steps` or `_comments`."""
    at, pk, kind, partner_id, actor_id, position_id, partner, author, title, deadline = row[:10]
    if kind != COMMENT:
        return Activity(
            section=Section.POSITIONS,
            at=at,
            text=ACTIVITY_TEXTS[kind].format(
                partner=partner or _("Die Geschäftsstelle"), title=title, deadline=_date(deadline)
            ),
            path=reverse("positions:position_detail", args=[position_id]),
            # An answer concerns every co-signer, the lead included.
            partner_id=None if kind == Kind.ANSWERED else partner_id,
            actor_id=actor_id,
        )
    author = author or _("ehemalige Person")
    if partner:
        author = f"{author} ({partner})"
    return Activity(
        section=Section.DISCUSSION,
        at=at,
        text=_("{author} hat die Position „{title}“ kommentiert.").format(
            author=author, title=title
        ),
        path=reverse("positions:comment_link", args=[pk]),
        partner_id=partner_id,
        actor_id=actor_id,
        position_id=position_id,
    )


def activity(*, since, until) -> list[Activity]:
    """What happened to positions in the window (since, until]: opened for co-signing, sent,
    answered, and comments (which the digest shows to followers only). One query: the steps and
    the comments as one list of rows (UNION ALL), with their position's title and deadline."""
    window = Q(created_at__gt=since, created_at__lte=until)
    steps = _steps(PositionEvent.objects.filter(window, kind__in=list(ACTIVITY_TEXTS)))
    comments = _comments(PositionComment.objects.filter(window))
    rows = steps.order_by().union(comments.order_by(), all=True)
    return [_item(row) for row in sorted(rows, key=lambda row: row[:2])]


def newest(*, reader: Reader, since, until, limit: int) -> list[Newest]:
    """One person's share of `activity`, filtered in SQL by the digest's rules (see `Reader`):
    positions have no field of work, so a filter by field leaves none; comments only on the
    positions the person follows."""
    if reader.area is not None:
        return []
    window = Q(created_at__gt=since, created_at__lte=until)
    parts = []
    if reader.wants(Section.POSITIONS):
        steps = PositionEvent.objects.filter(window, kind__in=list(ACTIVITY_TEXTS))
        answered = Q(kind=Kind.ANSWERED)  # belongs to no partner (every co-signer's news)
        if reader.partner_id is not None:
            steps = steps.exclude(~answered, partner_id=reader.partner_id)
        if reader.partner is not None:
            steps = steps.filter(~answered, partner_id=reader.partner)
        parts.append((_steps, steps.exclude(actor_id=reader.user_id)))
    if reader.wants(Section.DISCUSSION):
        followed = PositionFollow.objects.filter(user_id=reader.user_id).values("position_id")
        comments = PositionComment.objects.filter(window, position_id__in=followed)
        if reader.partner_id is not None:
            comments = comments.exclude(partner_id=reader.partner_id)
        if reader.partner is not None:
            comments = comments.filter(partner_id=reader.partner)
        parts.append((_comments, comments.exclude(author_id=reader.user_id)))
    return newest_of(parts, limit=limit, make=_item)


COSIGNING_FIELDS = ("pk", "title", "deadline", "lead_partner__name", "created_at")
COSIGNING_ORDER = ("deadline", "created_at", "pk")


def _undecided_cosignatures(limit: int, *, partner_id: int):
    cosigning = Position.objects.filter(status=Position.Status.COSIGNING)
    decided = CoSignature.objects.filter(partner_id=partner_id).exclude(
        decision=CoSignature.Decision.OPEN
    )
    decided_cosigning = decided.filter(position__status=Position.Status.COSIGNING)
    return (
        cosigning.exclude(Exists(decided.filter(position_id=OuterRef("pk"))))
        .annotate(total=count_of(cosigning) - count_of(decided_cosigning))
        .order_by(*COSIGNING_ORDER)
        .values_list(*COSIGNING_FIELDS, "total")[:limit]
    )


# Asked on every overview of a department head: built and compiled once per process.
UNDECIDED_COSIGNATURES = CompiledOnce(_undecided_cosignatures, partner_id=-730_019_002)


def awaiting_cosignature(partner_ids, *, limit: int) -> dict[int, tuple[list[Activity], int]]:
    """For each of these partners, the `limit` positions in Mitzeichnung with the nearest
    deadlines on which it has not decided (yet, or again after a text change), and how many
    there are: "Wartet auf Ihre Mitzeichnung" for department heads."""
    if not partner_ids:
        return {}
    cosigning = Position.objects.filter(status=Position.Status.COSIGNING)
    made = {}

    def item(pk, title, deadline, lead, created_at) -> Activity:
        if pk not in made:
            made[pk] = Activity(
                section=Section.WAITING,
                at=created_at,
                text=_(
                    "Wartet auf Ihre Mitzeichnung: „{title}“ ({lead}), Frist {deadline}."
                ).format(title=title, lead=lead, deadline=_date(deadline)),
                path=reverse("positions:position_detail", args=[pk]),
            )
        return made[pk]

    if len(partner_ids) == 1:  # one department head (the overview): one query
        # The undecided found in SQL along the (status, deadline) index; their number as all
        # positions in Mitzeichnung less those the partner decided (two counts from indexes,
        # rather than a window count over every position in Mitzeichnung).
        (partner_id,) = partner_ids
        rows = UNDECIDED_COSIGNATURES.rows(limit=limit, partner_id=partner_id)
        total = max(0, rows[0][-1]) if rows else 0
        return {partner_id: ([item(*row[:-1]) for row in rows], total)}
    decided = defaultdict(set)
    for partner_id, position_id in (
        CoSignature.objects.filter(position__status=Position.Status.COSIGNING)
        .filter(partner_id__in=partner_ids)
        .exclude(decision=CoSignature.Decision.OPEN)
        .order_by()
        .values_list("partner_id", "position_id")
    ):
        decided[partner_id].add(position_id)
    # A partner's first `limit` undecided ones are among the first (its decided + limit).
    needed = max((len(ids) for ids in decided.values()), default=0) + limit
    waiting_rows = list(
        cosigning.order_by(*COSIGNING_ORDER).values_list(*COSIGNING_FIELDS)[:needed]
    )
    total = cosigning.count() if len(waiting_rows) == needed else len(waiting_rows)

    waiting = {}
    for partner_id in partner_ids:
        shown = [item(*row) for row in waiting_rows if row[0] not in decided[partner_id]]
        waiting[partner_id] = (shown[:limit], max(0, total - len(decided[partner_id])))
    return waiting
