"""Reads of the position pages: search, the state of the co-signatures, timeline, versions and
the letter's data."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from initiatives.selectors import SEARCH_CONFIG
from partners.emails import absolute_url
from partners.models import Partner
from partners.selectors import changes_between, rendered_words, word_runs
from positions import workflow
from positions.models import CoSignature, Position, PositionEvent, PositionVersion

Decision = CoSignature.Decision


def search(positions: QuerySet, text: str) -> QuerySet:
    """Positions matching `text` (German full-text search on PostgreSQL, as for initiatives)."""
    text = text.strip()
    if not text:
        return positions
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return positions.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    for word in text.split():
        positions = positions.filter(
            Q(title__icontains=word) | Q(occasion__icontains=word) | Q(text__icontains=word)
        )
    return positions.annotate(rank=Value(0.0, output_field=FloatField()))


def cosignatures(position: Position) -> list[CoSignature]:
    """The co-signatures of `position` by partner name, each with its partner, the person who
    decided and the version decided on – without that version's text (read once per row)."""
    return list(
        position.cosignatures.select_related("partner", "decided_by", "version")
        .defer("version__text", "version__text_html")
        .order_by("partner__name")
    )


def signers(position: Position) -> list[CoSignature]:
    """The partners that co-sign, the lead first."""
    rows = [row for row in cosignatures(position) if row.decision == Decision.SIGNS]
    return sorted(rows, key=lambda row: row.partner_id != position.lead_partner_id)


def undecided_members(position: Position) -> QuerySet:
    """Member partners that have not decided (yet, or again after a text change)."""
    decided = position.cosignatures.exclude(decision=Decision.OPEN).values("partner")
    return Partner.objects.members().exclude(pk__in=decided)


def send_refusal(position: Position, today=None) -> str | None:
    """Why the letter cannot be sent yet, in German; None once it can."""
    today = today or timezone.localdate()
    signing = position.cosignatures.filter(decision=Decision.SIGNS)
    if not signing.filter(partner=position.lead_partner_id).exists():
        return _("Der federführende Partner hat noch nicht mitgezeichnet.")
    if signing.count() < workflow.COSIGNERS_TO_SEND:
        return _("Versandt wird erst, wenn mindestens %(count)s Partner mitzeichnen.") % {
            "count": workflow.COSIGNERS_TO_SEND
        }
    deadline_passed = position.deadline is not None and position.deadline < today
    if not deadline_passed and undecided_members(position).exists():
        return _(
            "Die Frist läuft noch bis %(deadline)s, und nicht alle Partner haben entschieden."
        ) % {"deadline": position.deadline.strftime("%d.%m.%Y") if position.deadline else "–"}
    return None


def initiative_proposal_url(position: Position, answer) -> str:
    """The proposal form of an initiative, pre-filled from an answered position: its title, and
    a summary and description that name the position and its answer (the initiatives app takes
    ?title=&summary=&description= from any page and knows nothing of positions)."""
    answered = {"title": position.title, "date": answer.received_on.strftime("%d.%m.%Y")}
    summary = _("Folgt aus der gemeinsamen Position „%(title)s“ und der Antwort vom %(date)s.")
    description = _(
        "Grundlage ist die gemeinsame Position „%(title)s“ (%(url)s), beantwortet am %(date)s."
    ) % {**answered, "url": absolute_url(reverse("positions:position_detail", args=[position.pk]))}
    query = urlencode(
        {
            "title": position.title,
            "summary": (summary % answered)[:500],
            "description": description[:2000],
        }
    )
    return f"{reverse('initiatives:initiative_create')}?{query}"


def timeline(position: Position):
    """The steps of `position`, oldest first, with what the page shows of each: not the
    version's text, nor the person's other columns."""
    return (
        position.events.select_related("actor", "partner")
        .only("position", "kind", "created_at", "partner__name", "actor__name")
        .order_by("created_at", "pk")
    )


def followed(user) -> QuerySet[Position]:
    """The positions `user` follows and may read, most recently active first, each with its
    last step (`last_kind`, `last_at`)."""
    steps = PositionEvent.objects.filter(position_id=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Position.objects.visible_to(user)
        .filter(follows__user_id=user.pk)
        .only("title", "status", "last_activity_at")
        .annotate(
            last_kind=Subquery(steps.values("kind")[:1]),
            last_at=Subquery(steps.values("created_at")[:1]),
        )
        .order_by("-last_activity_at", "-pk")
    )


def versions(position: Position):
    return position.versions.select_related("author").order_by("number")


def version_changes(before: PositionVersion, after: PositionVersion) -> list[tuple[str, str]]:
    """The rendered text of `after` against `before`, word by word, as the agreement shows its
    changes; runs of the same kind joined: ('same'|'added'|'removed', words)."""
    return word_runs(
        changes_between(rendered_words(before.text_html), rendered_words(after.text_html))
    )
