from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "kooperation_signed_in_at"
SEEN_AT = "kooperation_seen_at"


class SessionLifetimeMiddleware:
    """Ends a session SESSION_LIFETIME_HOURS after sign-in, however active it is, and keeps an
    active one from running idle: the session is saved (its expiry SESSION_COOKIE_AGE from now)
    when a tenth of that time has passed since the last save, not on every request, which would
    cost a database write per page. Sign-in starts a new session, sign-out deletes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            signed_in_at = request.session.get(SIGNED_IN_AT)
            seen_at = request.session.get(SEEN_AT)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = now.isoformat()
            elif now - datetime.fromisoformat(signed_in_at) > timedelta(
                hours=settings.SESSION_LIFETIME_HOURS
            ):
                logout(request)
                messages.info(
                    request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an.")
                )
                return self.get_response(request)
            refresh = timedelta(seconds=settings.SESSION_COOKIE_AGE / 10)
            if seen_at is None or now - datetime.fromisoformat(seen_at) > refresh:
                request.session[SEEN_AT] = now.isoformat()  # saved with a new expiry
        return self.get_response(request)
