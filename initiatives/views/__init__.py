"""The pages of the app, one module per concern: initiatives, their discussion and the inventory
(the exports are in initiatives.exports)."""

from initiatives.views.discussion import (
    CommentCreateView,
    CommentDeleteView,
    CommentLinkView,
    CommentUpdateView,
    FollowView,
)
from initiatives.views.initiatives import (
    InitiativeCreateView,
    InitiativeDetailView,
    InitiativeListView,
    InitiativeStatusView,
    InitiativeUpdateView,
    InitiativeWithdrawView,
    ParticipationView,
)
from initiatives.views.inventory import (
    CommonGroundView,
    SolutionDeleteView,
    SolutionListView,
    SolutionUpdateView,
)

__all__ = [
    "CommentCreateView",
    "CommentDeleteView",
    "CommentLinkView",
    "CommentUpdateView",
    "CommonGroundView",
    "FollowView",
    "InitiativeCreateView",
    "InitiativeDetailView",
    "InitiativeListView",
    "InitiativeStatusView",
    "InitiativeUpdateView",
    "InitiativeWithdrawView",
    "ParticipationView",
    "SolutionDeleteView",
    "SolutionListView",
    "SolutionUpdateView",
]
