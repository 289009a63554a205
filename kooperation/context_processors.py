from django.conf import settings

from initiatives.permissions import can_browse
from kooperation.mfa import mfa_required


def portal(request):
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COOPERATION_NAME": settings.COOPERATION_NAME,
        "can_browse_initiatives": user is not None and can_browse(user),
        "mfa_is_required": user is not None and user.is_authenticated and mfa_required(user),
    }
