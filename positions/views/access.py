"""Who may see which position page, shared by the views of the app."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from initiatives.views.access import MemberAccessMixin
from positions import permissions
from positions.models import Position

__all__ = ["MemberAccessMixin", "PositionObjectMixin"]


class PositionObjectMixin:
    """Loads the position of the URL. Members and the office see every one; visitors only
    published ones – an unpublished one sends a visitor to the login, and answers anyone else
    signed in as if it did not exist."""

    def dispatch(self, request, *args, **kwargs):
        self.position = get_object_or_404(Position.objects.for_detail(), pk=kwargs["pk"])
        if not permissions.can_read(request.user, self.position):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(position=self.position, **kwargs)

    def to_detail(self):
        return redirect("positions:position_detail", pk=self.position.pk)
