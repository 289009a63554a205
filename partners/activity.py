"""The shape in which the apps offer their dated records to the digest (which merges them).

An app lists what happened in a time window as `Activity` items; the digest then picks, for each
recipient, what happened at the other partners in the fields of work and initiatives they care
about. The apps keep their own records (events, comments, votes, versions): nothing is copied.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any

from django.db import connections
from django.db.models import Func, IntegerField, Subquery, Value


class Section:
    """Where an item appears in the digest, in this order."""

    WAITING = "waiting"
    INITIATIVES = "initiatives"
    POSITIONS = "positions"
    DISCUSSION = "discussion"
    SOLUTIONS = "solutions"
    COOPERATION = "cooperation"

    ORDER = [WAITING, INITIATIVES, POSITIONS, DISCUSSION, SOLUTIONS, COOPERATION]


@dataclass(frozen=True)
class Activity:
    section: str
    at: datetime
    text: str  # one German sentence, e.g. "Stadt Salzgitter hat „…“ vorgeschlagen."
    path: str  # where it is in the portal
    partner_id: int | None = None  # the partner it happened at
    actor_id: int | None = None  # the person who did it
    area_id: int | None = None  # its field of work, if it has one
    initiative_id: int | None = None  # set for comments: only followers see them
    position_id: int | None = None  # the same for comments on a joint position
    product: tuple[int, str] | None = None  # (area, product key) of a recorded solution
    restricted: bool = False  # only for department heads and the office (applications)
    # For what waits for a decision: where it is decided (POST) and the buttons for it, as
    # (field, value, label), so the overview decides in place.
    action: str = ""
    choices: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Reader:
    """For whom activity is read one person at a time (the overview, the activity page, the
    feed): the digest's rules as data that each app turns into SQL. The others' news – not at
    `partner_id`, not by `user_id` –, in the chosen `areas` (none: all), comments only on the
    initiatives the person follows, solutions only where their partner runs the product too,
    `restricted` items only for an `insider`. `partner`, `area` and `sections` narrow it further
    (the filters of the activity page)."""

    user_id: int
    partner_id: int | None
    insider: bool
    areas: frozenset[int] = frozenset()
    partner: int | None = None
    area: int | None = None
    sections: frozenset[str] = frozenset()

    def wants(self, section: str) -> bool:
        return not self.sections or section in self.sections

    def sees(self, item: Activity) -> bool:
        """The rules in Python, for a source that offers only `activity(since, until)`: its
        general items (neither comments nor solutions, which need the follows and the
        inventory)."""
        return (
            self.wants(item.section)
            and not item.initiative_id
            and not item.product
            and (item.partner_id is None or item.partner_id != self.partner_id)
            and (item.actor_id is None or item.actor_id != self.user_id)
            and (not self.areas or not item.area_id or item.area_id in self.areas)
            and (self.insider or not item.restricted)
            and (self.partner is None or item.partner_id == self.partner)
            and (self.area is None or item.area_id == self.area)
        )


@dataclass
class Newest:
    """The newest items of a reader's activity, newest first, and how many there are.

    A source may hand over its rows unmade, with the function that makes a row an item (`make`)
    and the one that tells its time (`at`): merging several sources' newest, kooperation.activity
    then makes only the items it shows (a page of the activity page asks every source for all
    the rows up to its end)."""

    items: list  # Activity items; rows while `make` is set
    total: int
    make: Callable[[Any], Activity] | None = None
    at: Callable[[Any], datetime] = attrgetter("at")

    @classmethod
    def of(cls, rows, item, *, at: str = "created_at") -> "Newest":
        """From rows annotated with `total` (their number, see `with_total`), each made an item
        by `item` when shown; `at`: the rows' field with the item's time."""
        rows = list(rows)
        return cls(rows, rows[0].total if rows else 0, make=item, at=attrgetter(at))


def with_total(queryset):
    """`queryset` annotated with `total`, its number of rows, counted in the same query by an
    uncorrelated subquery that PostgreSQL runs once (an InitPlan) on the rows' own table. A
    window count (COUNT(*) OVER ()) would first join every row of a national week to its
    initiative and partner; this way only the rows shown are joined."""
    return queryset.annotate(total=count_of(queryset))


def count_of(queryset) -> Subquery:
    """The number of `queryset`'s rows, as an expression for another query."""
    return Subquery(
        queryset.order_by().values(n=Func(template="COUNT(*)", output_field=IntegerField()))
    )


class CompiledOnce:
    """A query of a fixed shape built and compiled to SQL once per process and limit, then run
    with other values for its parameters: for the queries "Mein Überblick" asks on every
    request, where the ORM's building and compiling cost more CPU than PostgreSQL's answer.
    `build(limit, **placeholders)` makes the queryset (a values_list); each placeholder must be
    a value found nowhere else in its parameters (an unlikely integer) and is replaced there by
    the value given to `rows`. The rows are converted as the queryset's own would be."""

    def __init__(self, build: Callable[..., Any], **placeholders):
        self.build, self.placeholders = build, placeholders
        self._compiled = {}

    def rows(self, *, limit: int, **values) -> list[tuple]:
        key = (connections["default"].vendor, limit)
        if key not in self._compiled:
            queryset = self.build(limit, **self.placeholders)
            compiler = queryset.query.get_compiler(queryset.db)
            sql, params = compiler.as_sql()
            slots = {
                index: name
                for index, param in enumerate(params)
                for name, placeholder in self.placeholders.items()
                if type(param) is type(placeholder) and param == placeholder
            }
            if set(slots.values()) != set(self.placeholders):
                raise ValueError(f"Platzhalter fehlen in den Parametern: {params!r}")
            self._compiled[key] = (compiler, sql, params, slots)
        compiler, sql, params, slots = self._compiled[key]
        params = [values[slots[i]] if i in slots else param for i, param in enumerate(params)]
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        return [tuple(row) for row in compiler.results_iter(results=[found])]


NEWEST_FIRST = ("-created_at", "-pk")


def newest_of(parts, *, limit: int, make: Callable[[Any], Activity]) -> list[Newest]:
    """For a source whose records are rows of one shape with their time first: the newest
    `limit` rows of each of `parts` ((rows, queryset) pairs: `rows` makes the queryset's rows;
    newest first in the queryset's own order, else NEWEST_FIRST), each made an item by `make`
    when shown, and their number, in one query. Each part takes its newest along its index on
    the time and joins only those; the parts are one UNION ALL
    without an order of its own (kooperation.activity merges the parts), each row carrying its
    part and that part's number of rows (one uncorrelated subquery per part, planned once)."""
    if not parts:
        return []
    queries = [
        rows(chosen)
        .annotate(newest_part=Value(number), newest_total=count_of(chosen))
        .order_by(*(chosen.query.order_by or NEWEST_FIRST))[:limit]
        for number, (rows, chosen) in enumerate(parts)
    ]
    found = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    by_part = [[] for _part in parts]
    for row in found:
        by_part[row[-2]].append(row)
    newest = []
    for rows in by_part:
        rows.sort(key=itemgetter(0, 1), reverse=True)  # (created_at, pk): newest first
        newest.append(Newest(rows, rows[0][-1] if rows else 0, make=make, at=itemgetter(0)))
    return newest
