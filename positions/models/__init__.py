from positions.models.addressees import Addressee
from positions.models.discussion import PositionComment, PositionFollow
from positions.models.notices import PositionNotice
from positions.models.positions import (
    Answer,
    CoSignature,
    Position,
    PositionEvent,
    PositionQuerySet,
    PositionVersion,
)

__all__ = [
    "Addressee",
    "Answer",
    "CoSignature",
    "Position",
    "PositionComment",
    "PositionEvent",
    "PositionFollow",
    "PositionNotice",
    "PositionQuerySet",
    "PositionVersion",
]
