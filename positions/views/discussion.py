"""The discussion of a position: the views of initiatives.views.discussion with the positions'
`Discussion`. Only people of member partners and the office take part (not visitors, even of a
published position)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from initiatives.views import discussion as shared
from positions.discussion import POSITIONS
from positions.views.access import MemberAccessMixin, PositionObjectMixin


class PositionDiscussionMixin(PositionObjectMixin, MemberAccessMixin):
    discussion = POSITIONS

    def subject(self):
        return self.position


class CommentCreateView(PositionDiscussionMixin, shared.CommentCreateBase):
    def page_with_form(self, form):
        from positions.views.pages import PositionDetailView, detail_context

        context = detail_context(self.request, self.position, comment_form=form)
        return TemplateResponse(self.request, PositionDetailView.template_name, context, status=400)


class FollowView(PositionDiscussionMixin, shared.FollowBaseView):
    followed = _("Sie folgen dieser Position.")
    unfollowed = _("Sie folgen dieser Position nicht mehr.")


class CommentLinkView(shared.CommentLinkView):
    discussion = POSITIONS


class CommentUpdateView(shared.CommentUpdateView):
    discussion = POSITIONS


class CommentDeleteView(shared.CommentDeleteView):
    discussion = POSITIONS
