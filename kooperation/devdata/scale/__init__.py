"""A national data set: every German municipality in one cooperation (issue: national scale).

`python manage.py seed_scale` fills an empty database with 11,000 partners, 100,000 people,
50,000 initiatives and their participations, steps, comments, follows and solutions, 500
applications to join with votes, 20,000 joint positions with versions, co-signatures, steps,
answers, comments and stored letters (scale/positions.py) – activity spread over two years,
German text that the full-text search finds. It writes with bulk inserts, one table after the
other (one function per table, each handing on what the next needs in a `World`), and is
repeatable: the same counts give the same data (random.Random(42)). The digest benchmark
(bench/digest.py) seeds its smaller world of one week with the same functions.

One initiative – "Antrag auf Wohngeld online – gemeinsamer Online-Dienst" – has exactly
200 comments, for the benchmark of the detail page; `staff@scale.example` (password
SCALE_PASSWORD) is staff of the first partner, for the benchmarks to sign in.
"""

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from initiatives.models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from kooperation.devdata.scale.initiatives import (
    seed_areas,
    seed_comments,
    seed_follows,
    seed_initiatives,
    seed_participations,
    seed_solutions,
    seed_timeline,
)
from kooperation.devdata.scale.partners import seed_applications, seed_partners, seed_people
from kooperation.devdata.scale.positions import (
    DETAIL_POSITION_COMMENTS,
    DETAIL_POSITION_TITLE,
    seed_positions,
)
from kooperation.devdata.scale.world import (
    DETAIL_COMMENTS,
    DETAIL_TITLE,
    SCALE_PASSWORD,
    SCALE_STAFF,
    TWO_YEARS,
    World,
)
from partners.models import Application, Partner, User, Vote
from positions.models import CoSignature, Position, PositionComment, PositionVersion

__all__ = [
    "DETAIL_COMMENTS",
    "DETAIL_POSITION_COMMENTS",
    "DETAIL_POSITION_TITLE",
    "DETAIL_TITLE",
    "SCALE_PASSWORD",
    "SCALE_STAFF",
    "Counts",
    "World",
    "already_seeded",
    "seed",
    "table_sizes",
]


@dataclass
class Counts:
    partners: int = 11_000
    people: int = 100_000
    initiatives: int = 50_000
    participations: int = 200_000
    comments: int = 500_000
    solutions: int = 30_000
    applications: int = 500
    follows: int = 200_000
    positions: int = 20_000


def already_seeded() -> bool:
    return User.objects.filter(email=SCALE_STAFF).exists()


def seed(
    counts: Counts,
    *,
    say=print,
    now: datetime.datetime | None = None,
    history: timedelta = TWO_YEARS,
    inventory_history: timedelta | None = None,
) -> dict:
    """Fills the database; returns the number of rows per table.

    Activity lies within `history` before `now`; the solutions were recorded within
    `inventory_history` (by default the same span)."""
    world = World(now=now or timezone.now(), history=history)
    seed_areas(world)
    say("Partner …")
    seed_partners(world, counts.partners)
    say("Personen …")
    seed_people(world, counts.people)
    say("Initiativen …")
    seed_initiatives(world, counts.initiatives)
    say("Beteiligungen und Verlauf …")
    seed_participations(world, counts.participations)
    seed_timeline(world)
    say("Kommentare …")
    seed_comments(world, counts.comments)
    say("Folgen …")
    seed_follows(world, counts.follows)
    say("Lösungen …")
    inventory_start = world.now - inventory_history if inventory_history else None
    seed_solutions(world, counts.solutions, recorded_after=inventory_start)
    say("Beitrittsanträge …")
    seed_applications(world, counts.applications)
    say("Positionen …")
    seed_positions(world, counts.positions)
    return table_sizes()


def table_sizes() -> dict:
    return {
        model._meta.verbose_name_plural: model.objects.count()
        for model in [
            Partner,
            User,
            Initiative,
            Participation,
            InitiativeEvent,
            Comment,
            Follow,
            Solution,
            Application,
            Vote,
            Position,
            PositionVersion,
            CoSignature,
            PositionComment,
        ]
    }
