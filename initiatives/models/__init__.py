from initiatives.models.areas import Area
from initiatives.models.discussion import Comment, Follow
from initiatives.models.initiatives import (
    Initiative,
    InitiativeEvent,
    InitiativeQuerySet,
    Participation,
)
from initiatives.models.inventory import Solution, product_key

__all__ = [
    "Area",
    "Comment",
    "Follow",
    "Initiative",
    "InitiativeEvent",
    "InitiativeQuerySet",
    "Participation",
    "Solution",
    "product_key",
]
