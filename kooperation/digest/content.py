"""What a digest holds: the window it covers, the other partners' news in it and, for
department heads, what awaits their decision. A batch's digests are built together with a fixed
number of queries, whatever its size."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import Max

from initiatives import activity as initiative_activity
from initiatives.models import Follow
from kooperation import activity
from kooperation.digest.recipients import recipients
from kooperation.models import DigestDelivery, DigestSetting, Frequency
from partners.activity import Activity, Section
from partners.models import User
from partners.permissions import can_see_applications
from positions.models import PositionFollow

PERIOD_LENGTH = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# How far back a digest reaches at most, e.g. after someone switched from "never" back on.
LOOKBACK = {Frequency.DAILY: timedelta(days=7), Frequency.WEEKLY: timedelta(days=28)}
ITEMS_PER_SECTION = 10
# The windows of the runs a worker process may be serving at once (daily, weekly, resumed).
NEWS_MEMO_ENTRIES = 4

Window = tuple[datetime, datetime]  # (since, until]
Shown = tuple[list[Activity], int]  # the items shown and how many there are


@dataclass
class Digest:
    recipient: User
    since: datetime
    until: datetime
    sections: list[tuple[str, list[Activity], int]] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(total for _key, _items, total in self.sections)

    @property
    def news(self) -> int:
        """What happened: the reason to send. What waits is shown with news, not sent alone."""
        return self.items - self.waiting

    @property
    def waiting(self) -> int:
        return sum(total for key, _items, total in self.sections if key == Section.WAITING)


# The window and the news in it.


def windows_of(deliveries: list[DigestDelivery]) -> dict[int, Window]:
    """Each recipient's window: from the end of their last digest (at most LOOKBACK back) to
    the delivery's `until`."""
    last_until = dict(
        DigestDelivery.objects.filter(recipient_id__in=[d.recipient_id for d in deliveries])
        .exclude(status=DigestDelivery.Status.PENDING)
        .values("recipient_id")
        .annotate(last=Max("until"))
        .values_list("recipient_id", "last")
    )
    windows = {}
    for delivery in deliveries:
        length = PERIOD_LENGTH[delivery.frequency]
        since = last_until.get(delivery.recipient_id) or delivery.until - length
        since = max(since, delivery.until - LOOKBACK[delivery.frequency])
        # A later digest went out first (this one was resumed late): it has told everything.
        windows[delivery.recipient_id] = (min(since, delivery.until), delivery.until)
    return windows


def read_news(since: datetime, until: datetime) -> list[Activity]:
    return activity.everything(since, until)


@lru_cache(maxsize=NEWS_MEMO_ENTRIES)
def kept_news(since: datetime, until: datetime, time_slot: int) -> list[Activity]:
    """`read_news`, kept per window for the rest of the current `time_slot`."""
    return read_news(since, until)


def news_between(since: datetime, until: datetime) -> list[Activity]:
    """Everything that happened in (since, until], oldest first.

    The batches of one run share their window, so a worker process keeps the news of its last
    few windows for up to DIGEST_NEWS_MEMO_SECONDS instead of reading the country's activity
    again for each batch (0: never kept, as in the tests). A comment deleted meanwhile may
    still be quoted by a digest of the same run."""
    seconds = settings.DIGEST_NEWS_MEMO_SECONDS
    if not seconds:
        return read_news(since, until)
    return kept_news(since, until, int(time.monotonic() // seconds))


@dataclass
class NewsIndex:
    """The news of a batch's windows, indexed once, so that each recipient looks only at what
    may concern them: comments by initiative or position (for followers), solutions by product
    (for the partners running it), the rest by section."""

    general: dict[str, list[Activity]]
    by_initiative: dict[int, list[Activity]]
    by_product: dict[tuple[int, str], list[Activity]]
    by_position: dict[int, list[Activity]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, news: list[Activity]) -> "NewsIndex":
        index = cls(defaultdict(list), defaultdict(list), defaultdict(list))
        for item in news:
            if item.initiative_id:
                index.by_initiative[item.initiative_id].append(item)
            elif item.position_id:
                index.by_position[item.position_id].append(item)
            elif item.product:
                index.by_product[item.product].append(item)
            else:
                index.general[item.section].append(item)
        return index


# What the digests of a batch share.


def chosen_areas(ids: list[int]) -> dict[int, set[int]]:
    """The fields of work each person chose (none: all of them)."""
    areas = defaultdict(set)
    for user_id, area_id in DigestSetting.areas.through.objects.filter(
        digestsetting__user_id__in=ids
    ).values_list("digestsetting__user_id", "area_id"):
        areas[user_id].add(area_id)
    return areas


def followed_with_news(ids: list[int], by_subject: dict, follows=Follow) -> dict[int, set[int]]:
    """The initiatives (or, with `follows=PositionFollow`, positions) each person follows that
    have new comments."""
    followed = defaultdict(set)
    subject = "initiative_id" if follows is Follow else "position_id"
    # Asked by person only: a week's discussions nationally span too many initiatives to send
    # along; a batch's people follow a few each.
    for user_id, subject_id in (
        follows.objects.filter(user_id__in=ids).order_by().values_list("user_id", subject)
    ):
        if subject_id in by_subject:
            followed[user_id].add(subject_id)
    return followed


def overlapping_products(partner_ids: set[int], by_product: dict) -> dict[int, list]:
    """The (area, product key) of the new solutions each partner runs too."""
    overlapping = defaultdict(list)
    for partner_id, area_id, key in initiative_activity.products_of(partner_ids, by_product):
        overlapping[partner_id].append((area_id, key))
    return overlapping


def awaiting_decision(head_partners: set[int]) -> dict[int, Shown]:
    """What awaits each partner's department head: co-signatures first (they have deadlines,
    the nearest first), then votes, then commitments (the oldest, waiting longest, first)."""
    waiting = defaultdict(lambda: ([], 0))
    for source in activity.awaiting(head_partners, limit=ITEMS_PER_SECTION):
        for partner_id, (items, total) in source.items():
            shown, before = waiting[partner_id]
            waiting[partner_id] = ((shown + items)[:ITEMS_PER_SECTION], before + total)
    return waiting


@dataclass
class Batch:
    people: dict[int, User]
    windows: dict[int, Window]
    areas: dict[int, set[int]]
    news: NewsIndex
    followed: dict[int, set[int]]
    followed_positions: dict[int, set[int]]
    overlapping: dict[int, list]
    waiting: dict[int, Shown]
    # Filled while building, shared by the recipients with the same fields, window and rights.
    general_views: dict = field(default_factory=dict)
    solutions: dict = field(default_factory=dict)

    @classmethod
    def read(cls, deliveries: list[DigestDelivery]) -> "Batch":
        ids = [delivery.recipient_id for delivery in deliveries]
        # Checked again here: whoever left, was deactivated or unsubscribed since the run began
        # gets nothing.
        people = (
            recipients(deliveries[0].frequency)
            .filter(pk__in=ids)
            .select_related("partner", "digest_setting")
        )
        people = {person.pk: person for person in people}
        areas = chosen_areas(ids)
        windows = windows_of(deliveries)
        earliest = min(since for since, _until in windows.values())
        latest = max(until for _since, until in windows.values())
        news = NewsIndex.of(news_between(earliest, latest))
        partner_ids = {person.partner_id for person in people.values() if person.partner_id}
        heads = {person.partner_id for person in people.values() if person.is_department_head}
        return cls(
            people=people,
            windows=windows,
            areas=areas,
            news=news,
            followed=followed_with_news(ids, news.by_initiative),
            followed_positions=(
                followed_with_news(ids, news.by_position, PositionFollow)
                if news.by_position
                else defaultdict(set)
            ),
            overlapping=overlapping_products(partner_ids, news.by_product),
            waiting=awaiting_decision(heads),
        )


# One recipient's sections.


def of_others(items, partner_id, chosen, since, until, *, insider) -> list[Activity]:
    """The items not at `partner_id`, in the `chosen` fields (if any), in the window, and not
    restricted unless the reader is an `insider`."""
    return [
        item
        for item in items
        if (item.partner_id is None or item.partner_id != partner_id)
        and (not chosen or not item.area_id or item.area_id in chosen)
        and since < item.at <= until
        and (insider or not item.restricted)
    ]


def general_view(batch: Batch, chosen, since, until, insider) -> dict:
    """The general news as seen with given fields of work and window, per section, counted per
    partner and per actor: leaving out one's own partner and own actions then costs no pass
    over the list."""
    key = (chosen, since, until, insider)
    if key not in batch.general_views:
        view = {}
        for section, items in batch.news.general.items():
            found = of_others(items, None, chosen, since, until, insider=insider)
            per_partner = Counter(item.partner_id for item in found if item.partner_id)
            per_actor = defaultdict(list)
            for item in found:
                if item.actor_id:
                    per_actor[item.actor_id].append(item)
            view[section] = (found, per_partner, per_actor)
        batch.general_views[key] = view
    return batch.general_views[key]


def is_at(item: Activity, partner_id: int | None) -> bool:
    return partner_id is not None and item.partner_id == partner_id


def theirs(found, per_partner, per_actor, partner_id, me) -> Shown:
    """The newest items of `found` and their number, without partner_id's and me's."""
    total = len(found) - (per_partner.get(partner_id, 0) if partner_id else 0)
    total -= sum(1 for item in per_actor.get(me, ()) if not is_at(item, partner_id))
    shown = []
    for item in reversed(found):
        if len(shown) == ITEMS_PER_SECTION or len(shown) == total:
            break
        if not is_at(item, partner_id) and item.actor_id != me:
            shown.append(item)
    return shown[::-1], total


def solutions_for(batch: Batch, partner_id, chosen, since, until) -> list[Activity]:
    """New solutions of others that `partner_id` runs too, shared by its people in the batch."""
    key = (partner_id, chosen, since, until)
    if key not in batch.solutions:
        solutions = sorted(
            (
                item
                for product in batch.overlapping[partner_id]
                for item in batch.news.by_product[product]
            ),
            key=lambda item: item.at,
        )
        batch.solutions[key] = of_others(solutions, *key, insider=True)
    return batch.solutions[key]


def discussion_for(batch: Batch, me, partner_id, chosen, since, until) -> list[Activity]:
    """New comments of others on the initiatives and positions `me` follows."""
    comments = sorted(
        [
            *(item for pk in batch.followed[me] for item in batch.news.by_initiative[pk]),
            *(item for pk in batch.followed_positions[me] for item in batch.news.by_position[pk]),
        ],
        key=lambda item: item.at,
    )
    return of_others(comments, partner_id, chosen, since, until, insider=True)


def digest_for(batch: Batch, delivery: DigestDelivery) -> Digest | None:
    """The digest of the delivery's recipient; None if they are no longer one."""
    person = batch.people.get(delivery.recipient_id)
    if person is None:
        return None
    me, partner_id = person.pk, person.partner_id
    since, until = batch.windows[me]
    chosen = frozenset(batch.areas.get(me, ()))
    sections = {}
    if person.is_department_head:
        # Whatever the chosen fields: a decision is owed. In the order the apps list them,
        # so the oldest, waiting longest, come first.
        sections[Section.WAITING] = batch.waiting[partner_id]
    view = general_view(batch, chosen, since, until, can_see_applications(person))
    for section, seen in view.items():
        sections[section] = theirs(*seen, partner_id, me)
    for section, found in (
        (Section.SOLUTIONS, solutions_for(batch, partner_id, chosen, since, until)),
        (Section.DISCUSSION, discussion_for(batch, me, partner_id, chosen, since, until)),
    ):
        found = [item for item in found if item.actor_id != me]
        sections[section] = (found[-ITEMS_PER_SECTION:], len(found))
    digest = Digest(recipient=person, since=since, until=until)
    for section in Section.ORDER:
        shown, total = sections.get(section, ((), 0))
        if total:
            digest.sections.append((section, shown, total))
    return digest


def build(deliveries: list[DigestDelivery]) -> list[Digest]:
    """The digest of each delivery's recipient for (their last digest, delivery.until]."""
    if not deliveries:
        return []
    batch = Batch.read(deliveries)
    digests = (digest_for(batch, delivery) for delivery in deliveries)
    return [digest for digest in digests if digest is not None]
