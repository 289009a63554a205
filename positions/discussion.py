"""The discussion of positions: comments and follows, as for initiatives (initiatives.discussion).
People of all member partners and the office read drafts, comment and follow."""

from django.utils.translation import gettext_lazy as _

from initiatives.discussion import Discussion
from positions.models import PositionComment, PositionFollow
from positions.permissions import can_browse

POSITIONS = Discussion(
    comment_model=PositionComment,
    follow_model=PositionFollow,
    subject_field="position",
    detail_url="positions:position_detail",
    namespace="positions",
    may_take_part=can_browse,
    refusal=_("Kommentieren und folgen können angemeldete Personen der Partner."),
    closed=_("Eine zurückgezogene Position wird nicht mehr diskutiert."),
)
