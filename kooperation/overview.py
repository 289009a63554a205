"""What "Mein Überblick" shows a person: what waits for them, the others' news since their
last visit (the digest's, through the same sources and rules: kooperation.activity), the
initiatives and positions they follow and, for the office, what waits for it. A fixed number of
queries whatever the rows."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Value
from django.urls import reverse
from django.utils import timezone

from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative, InitiativeEvent
from kooperation import activity
from kooperation.digest.content import awaiting_decision, chosen_areas
from outbox.models import EmailJob
from partners.activity import Activity, Newest, Reader
from partners.models import AgreementVersion, Application
from partners.permissions import can_see_applications, is_department_head_of_member
from positions import selectors as position_selectors
from positions.models import Position, PositionEvent

NEWS_ITEMS = 20
LISTED = 10
# Where "new since the last visit" begins at the latest, and on the first visit.
LONGEST_WINDOW = timedelta(days=28)
FIRST_WINDOW = timedelta(days=7)


def reader_of(user, **narrowed) -> Reader:
    """The person as the digest sees them: partner, rights and chosen fields of work."""
    return Reader(
        user_id=user.pk,
        partner_id=user.partner_id,
        insider=can_see_applications(user),
        areas=frozenset(chosen_areas([user.pk]).get(user.pk, ())),
        **narrowed,
    )


def news_window(previous_visit: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    since = previous_visit or now - FIRST_WINDOW
    return max(since, now - LONGEST_WINDOW), now


@dataclass
class Day:
    date: object
    items: list[Activity]


@dataclass(frozen=True)
class Followed:
    """An initiative or a position the person follows, as "Was Sie verfolgen" lists it."""

    title: str
    path: str
    status: str
    last_step: str = ""
    last_at: datetime | None = None
    unread: int = 0  # others' comments since the person last opened it (initiatives)
    is_position: bool = False


FOLLOWED_COLUMNS = ("subject", "title", "status", "active_at", "last_kind", "last_at", "unread")


def followed_by(user) -> list[Followed]:
    """The LISTED most recently active initiatives and positions `user` follows, in one list:
    each app's newest LISTED in one query (UNION ALL)."""
    initiatives = initiative_selectors.followed(user).annotate(
        subject=F("initiative_id"),
        title=F("initiative__title"),
        status=F("initiative__status"),
        active_at=F("initiative__last_activity_at"),
        is_position=Value(False),
    )
    positions = position_selectors.followed(user).annotate(
        subject=F("pk"), active_at=F("last_activity_at"), unread=Value(0), is_position=Value(True)
    )
    parts = [
        part.values_list(*FOLLOWED_COLUMNS, "is_position")[:LISTED]
        for part in (initiatives, positions)
    ]
    rows = parts[0].union(parts[1], all=True).order_by("-active_at")[:LISTED]
    found = []
    for pk, title, status, _active_at, last_kind, last_at, unread, is_position in rows:
        model, events, detail = (
            (Position, PositionEvent, "positions:position_detail")
            if is_position
            else (Initiative, InitiativeEvent, "initiatives:initiative_detail")
        )
        found.append(
            Followed(
                title=title,
                path=reverse(detail, args=[pk]),
                status=model.Status(status).label,
                last_step=events.Kind(last_kind).label if last_kind else "",
                last_at=last_at,
                unread=unread,
                is_position=is_position,
            )
        )
    return found


@dataclass
class Overview:
    since: datetime
    news: Newest
    days: list[Day]
    waiting: tuple[list[Activity], int] = ((), 0)
    proposals: list = field(default_factory=list)
    followed: list = field(default_factory=list)
    office: dict | None = None

    @property
    def nothing_waits(self) -> bool:
        return not self.waiting[1] and not self.proposals


def by_day(items: list[Activity]) -> list[Day]:
    days: list[Day] = []
    for item in items:
        date = timezone.localdate(item.at)
        if not days or days[-1].date != date:
            days.append(Day(date, []))
        days[-1].items.append(item)
    return days


def office_view() -> dict:
    """For the office: open applications, agreement versions in signature, failed e-mails."""
    applications = Application.objects.pending().order_by("submitted_at", "pk")
    return {
        "applications": list(applications.only("name", "submitted_at")[:LISTED]),
        "versions": list(
            AgreementVersion.objects.filter(status=AgreementVersion.Status.IN_SIGNATURE)
            .only("title")
            .order_by("pk")[:LISTED]
        ),
        "failed_emails": EmailJob.objects.filter(status=EmailJob.Status.FAILED).count(),
    }


def overview_of(user, *, previous_visit: datetime | None, now: datetime) -> Overview:
    since, until = news_window(previous_visit, now)
    news = activity.newest_for(reader_of(user), since, until, limit=NEWS_ITEMS)
    overview = Overview(since=since, news=news, days=by_day(news.items))
    if is_department_head_of_member(user):
        overview.waiting = awaiting_decision({user.partner_id})[user.partner_id]
    elif user.partner_id:
        overview.proposals = initiative_selectors.own_proposals(user, limit=LISTED)
    overview.followed = followed_by(user)
    if user.is_staff:
        overview.office = office_view()
    return overview
