from django.conf import settings

from initiatives.permissions import can_browse


def portal(request):
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COOPERATION_NAME": settings.COOPERATION_NAME,
        "can_browse_initiatives": user is not None and can_browse(user),
    }
