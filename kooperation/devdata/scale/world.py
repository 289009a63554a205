"""What every table of the national data set shares: the names the benchmarks use, the
random source and span of time, and the rows each table hands on to the next."""

import datetime
import random
from dataclasses import dataclass, field
from datetime import timedelta

from initiatives.models import Area, Initiative, Participation
from partners.models import Partner, User

SCALE_PASSWORD = "kooperation-skala"  # noqa: S105 - a documented benchmark account
SCALE_STAFF = "staff@scale.example"
DETAIL_TITLE = "Antrag auf Wohngeld online – gemeinsamer Online-Dienst"
DETAIL_COMMENTS = 200
BATCH = 5000
TWO_YEARS = timedelta(days=730)


def _repeatable() -> random.Random:
    return random.Random(42)  # noqa: S311 - the same counts give the same data, not security


@dataclass
class World:
    """The random source, the span of time, and the rows each table hands on to the next."""

    now: datetime.datetime
    history: timedelta = TWO_YEARS
    rng: random.Random = field(default_factory=_repeatable)
    areas: list[Area] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    partner_weights: list[float] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    people_of: dict[int, list[User]] = field(default_factory=dict)
    heads: dict[int, User] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)

    def moment(self, after: datetime.datetime | None = None) -> datetime.datetime:
        """A random moment between `after` (or the start of the history) and a minute ago."""
        start = after or self.now - self.history
        span = max(1, int((self.now - start).total_seconds()) - 60)
        return start + timedelta(seconds=self.rng.randint(1, span))

    def some_partner(self) -> Partner:
        """Larger places have more staff and lead more: a few partners often, most rarely."""
        return self.rng.choices(self.partners, cum_weights=self.partner_weights)[0]


def bulk(model, objects, **kwargs):
    return model.objects.bulk_create(objects, batch_size=BATCH, **kwargs)
