"""Where the digest, the overview, the activity page and the feed find what happened: each app
registers its source of dated records here (one line below), nothing is copied into an event
store of our own.

A source offers `activity(*, since, until) -> list[Activity]` – everything in the window, which
the digest reads once for a whole batch of recipients and filters per person in Python – and
may offer `newest(*, reader, since, until, limit) -> list[Newest]`: one person's share, filtered
by the same rules in SQL (partners.activity.Reader), for the pages, which must not read a
country's week to show twenty lines. A source without `newest` still appears on the pages: its
window is read and filtered with `Reader.sees`. `awaiting(partner_ids, *, limit)` lists what
waits for each partner's department head (in the order of registration: votes first).
"""

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from initiatives import activity as initiative_activity
from partners import selectors as partner_selectors
from partners.activity import Activity, Newest, Reader
from positions import activity as position_activity


@dataclass(frozen=True)
class Source:
    activity: Callable[..., list[Activity]]
    newest: Callable[..., list[Newest]] | None = None
    awaiting: Callable[..., dict] | None = None


SOURCES: list[Source] = []


def register(activity, *, newest=None, awaiting=None) -> None:
    SOURCES.append(Source(activity, newest, awaiting))


# Co-signatures first among what waits: they have deadlines.
register(
    position_activity.activity,
    newest=position_activity.newest,
    awaiting=position_activity.awaiting_cosignature,
)
register(
    partner_selectors.activity,
    newest=partner_selectors.newest_activity,
    awaiting=partner_selectors.awaiting_votes,
)
register(
    initiative_activity.activity,
    newest=initiative_activity.newest,
    awaiting=initiative_activity.awaiting_commitment,
)


def everything(since, until) -> list[Activity]:
    """All sources' records in (since, until], oldest first (for the digest)."""
    found = [item for source in SOURCES for item in source.activity(since=since, until=until)]
    found.sort(key=lambda item: item.at)
    return found


def awaiting(partner_ids, *, limit: int) -> list[dict]:
    return [source.awaiting(partner_ids, limit=limit) for source in SOURCES if source.awaiting]


def newest_for(reader: Reader, since, until, *, limit: int) -> Newest:
    """The newest `limit` items `reader` may see in (since, until], newest first, and how many
    there are: each source's newest, merged."""
    parts = []
    for source in SOURCES:
        if source.newest:
            parts += source.newest(reader=reader, since=since, until=until, limit=limit)
        else:
            seen = [item for item in source.activity(since=since, until=until) if reader.sees(item)]
            seen.sort(key=lambda item: item.at, reverse=True)
            parts.append(Newest(seen[:limit], len(seen)))
    # Each part's rows with their time, merged; only the `limit` newest become items.
    merged = heapq.merge(*(_timed(part) for part in parts), key=itemgetter(0), reverse=True)
    items = [make(row) if make else row for _at, row, make in islice(merged, limit)]
    return Newest(items, sum(part.total for part in parts))


def _timed(part: Newest) -> list[tuple]:
    return [(part.at(row), row, part.make) for row in part.items]
