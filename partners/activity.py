"""The shape in which the apps offer their dated records to the digest (which merges them).

An app lists what happened in a time window as `Activity` items; the digest then picks, for each
recipient, what happened at the other partners in the fields of work and initiatives they care
about. The apps keep their own records (events, comments, votes, versions): nothing is copied.
"""

from dataclasses import dataclass
from datetime import datetime


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
