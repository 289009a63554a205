"""What happened to joint positions, for the digest (partners.activity describes the shape):
positions opened for co-signing, sent, answered; comments for their followers; and, for
department heads, the positions awaiting their partner's co-signature.

Plain functions of a time window or of partners, so that any reader of the apps' activity (the
digest, a start page) can register them beside those of the other apps. Positions speak for the
whole cooperation: their items have no field of work and reach everyone whatever fields they
chose."""

from collections import defaultdict

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


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def activity(*, since, until) -> list[Activity]:
    """What happened to positions in the window (since, until]: opened for co-signing, sent,
    answered, and comments (which the digest shows to followers only)."""
    events = list(
        PositionEvent.objects.filter(
            created_at__gt=since, created_at__lte=until, kind__in=list(ACTIVITY_TEXTS)
        )
        .select_related("partner")
        .only("kind", "created_at", "actor_id", "partner__name", "position_id")
        .order_by("created_at", "pk")
    )
    comments = list(
        PositionComment.objects.filter(created_at__gt=since, created_at__lte=until)
        .select_related("partner", "author")
        .only("created_at", "author__name", "partner__name", "position_id")
        .order_by("created_at", "pk")
    )
    ids = {event.position_id for event in events} | {c.position_id for c in comments}
    positions = Position.objects.filter(pk__in=ids).only("title", "deadline")
    positions = {position.pk: position for position in positions}
    items = []
    for event in events:
        position = positions[event.position_id]
        items.append(
            Activity(
                section=Section.POSITIONS,
                at=event.created_at,
                text=ACTIVITY_TEXTS[event.kind].format(
                    partner=event.partner.name if event.partner else _("Die Geschäftsstelle"),
                    title=position.title,
                    deadline=_date(position.deadline),
                ),
                path=reverse("positions:position_detail", args=[position.pk]),
                # An answer concerns every co-signer, the lead included.
                partner_id=None if event.kind == Kind.ANSWERED else event.partner_id,
                actor_id=event.actor_id,
            )
        )
    for comment in comments:
        position = positions[comment.position_id]
        author = comment.author.name if comment.author else _("ehemalige Person")
        if comment.partner:
            author = f"{author} ({comment.partner.name})"
        items.append(
            Activity(
                section=Section.DISCUSSION,
                at=comment.created_at,
                text=_("{author} hat die Position „{title}“ kommentiert.").format(
                    author=author, title=position.title
                ),
                path=reverse("positions:comment_link", args=[comment.pk]),
                partner_id=comment.partner_id,
                actor_id=comment.author_id,
                position_id=position.pk,
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
        cosigning.order_by("deadline", "created_at", "pk").values_list(
            "pk", "title", "deadline", "lead_partner__name", "created_at"
        )[:needed]
    )
    total = cosigning.count() if len(waiting_rows) == needed else len(waiting_rows)
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

    waiting = {}
    for partner_id in partner_ids:
        shown = [item(*row) for row in waiting_rows if row[0] not in decided[partner_id]]
        waiting[partner_id] = (shown[:limit], max(0, total - len(decided[partner_id])))
    return waiting
