"""Who may see the pages of initiatives and the inventory, shared by every view of the app."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives import permissions


def error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class MemberAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Initiatives and the inventory are for the people of member partners and the office.
    A view whose test_func asks more says why it refuses in `refusal` (shown on the 403 page)."""

    refusal = permissions.REFUSED_BROWSE

    def dispatch(self, request, *args, **kwargs):
        # Who may not browse learns nothing, not even whether an object exists.
        if not permissions.can_browse(request.user):
            return self.refuse(permissions.REFUSED_BROWSE)
        self.load_object(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_object(self, **kwargs):
        """Loads the object of the URL, which test_func may need."""

    def test_func(self):
        return permissions.can_browse(self.request.user)

    def handle_no_permission(self):
        return self.refuse(self.refusal)

    def refuse(self, reason):
        if self.request.user.is_authenticated:
            raise PermissionDenied(reason)
        return super().handle_no_permission()
