"""What happened to joint positions, for the digest (partners.activity describes the shape):
positions opened for co-signing, sent, answered; comments for their followers; and, for
department heads, the positions awaiting their partner's co-signature.

Plain functions of a time window or of partners, so that any reader of the apps' activity (the
digest, a start page) can register them beside those of the other apps. Positions speak for the
whole cooperation: their items have no field of work and reach everyone whatever fields they
chose."""

from collections import defaultdict

from django.db.models import CharField, Count, Exists, OuterRef, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.activity import Activity, Section
from positions.models import CoSignature, Position, PositionComment, PositionEvent

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


def activity(*, since, until) -> list[Activity]:
    """What happened to positions in the window (since, until]: opened for co-signing, sent,
    answered, and comments (which the digest shows to followers only). One query: the steps and
    the comments as one list of rows (UNION ALL), with their position's title and deadline."""
    text = CharField()
    steps = PositionEvent.objects.filter(
        created_at__gt=since, created_at__lte=until, kind__in=list(ACTIVITY_TEXTS)
    ).values_list(
        "created_at",
        "pk",
        "kind",
        "partner_id",
        "actor_id",
        "position_id",
        "partner__name",
        Value("", output_field=text),
        "position__title",
        "position__deadline",
    )
    comments = PositionComment.objects.filter(
        created_at__gt=since, created_at__lte=until
    ).values_list(
        "created_at",
        "pk",
        Value(COMMENT, output_field=text),
        "partner_id",
        "author_id",
        "position_id",
        "partner__name",
        Coalesce("author__name", Value("", output_field=text)),
        "position__title",
        "position__deadline",
    )
    rows = sorted(steps.order_by().union(comments.order_by(), all=True), key=lambda row: row[:2])
    items = []
    for at, _pk, kind, partner_id, actor_id, position_id, partner, author, title, deadline in rows:
        path = reverse("positions:position_detail", args=[position_id])
        if kind != COMMENT:
            items.append(
                Activity(
                    section=Section.POSITIONS,
                    at=at,
                    text=ACTIVITY_TEXTS[kind].format(
                        partner=partner or _("Die Geschäftsstelle"),
                        title=title,
                        deadline=_date(deadline),
                    ),
                    path=path,
                    # An answer concerns every co-signer, the lead included.
                    partner_id=None if kind == Kind.ANSWERED else partner_id,
                    actor_id=actor_id,
                )
            )
            continue
        author = author or _("ehemalige Person")
        if partner:
            author = f"{author} ({partner})"
        items.append(
            Activity(
                section=Section.DISCUSSION,
                at=at,
                text=_("{author} hat die Position „{title}“ kommentiert.").format(
                    author=author, title=title
                ),
                path=reverse("positions:comment_link", args=[_pk]),
                partner_id=partner_id,
                actor_id=actor_id,
                position_id=position_id,
            )
        )
    return items


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

    fields = ("pk", "title", "deadline", "lead_partner__name", "created_at")
    order = ("deadline", "created_at", "pk")
    if len(partner_ids) == 1:  # one department head (the overview): one query
        (partner_id,) = partner_ids
        decided = CoSignature.objects.filter(
            position_id=OuterRef("pk"), partner_id=partner_id
        ).exclude(decision=CoSignature.Decision.OPEN)
        rows = list(
            cosigning.exclude(Exists(decided))
            .annotate(total=Window(Count("pk")))
            .order_by(*order)
            .values_list(*fields, "total")[:limit]
        )
        return {partner_id: ([item(*row[:-1]) for row in rows], rows[0][-1] if rows else 0)}
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
    waiting_rows = list(cosigning.order_by(*order).values_list(*fields)[:needed])
    total = cosigning.count() if len(waiting_rows) == needed else len(waiting_rows)

    waiting = {}
    for partner_id in partner_ids:
        shown = [item(*row) for row in waiting_rows if row[0] not in decided[partner_id]]
        waiting[partner_id] = (shown[:limit], max(0, total - len(decided[partner_id])))
    return waiting
