"""The pages of the app: the list and a position's pages (pages), its steps (actions), its
discussion (discussion); the exports are in positions.exports."""

from positions.views.actions import (
    AnswerView,
    DecideView,
    OpenView,
    PublishView,
    SendView,
    WithdrawView,
)
from positions.views.discussion import (
    CommentCreateView,
    CommentDeleteView,
    CommentLinkView,
    CommentUpdateView,
    FollowView,
)
from positions.views.pages import (
    LetterView,
    PositionCreateView,
    PositionDetailView,
    PositionListView,
    PositionUpdateView,
    VersionsView,
)

__all__ = [
    "AnswerView",
    "CommentCreateView",
    "CommentDeleteView",
    "CommentLinkView",
    "CommentUpdateView",
    "DecideView",
    "FollowView",
    "LetterView",
    "OpenView",
    "PositionCreateView",
    "PositionDetailView",
    "PositionListView",
    "PositionUpdateView",
    "PublishView",
    "SendView",
    "VersionsView",
    "WithdrawView",
]
