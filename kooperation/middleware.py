import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from kooperation.mfa import mfa_required

logger = logging.getLogger(__name__)

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


MFA_SET_UP = "kooperation_mfa_set_up"


class MFARequiredMiddleware:
    """Leads a department head or admin without an authenticator app to its set-up, whatever
    page they ask for (allauth offers MFA but does not enforce it). Open meanwhile: the set-up
    itself, the password confirmation it may ask for, signing out and the legal pages. Once the
    app is set up, the session remembers it, so the check costs no query per page."""

    OPEN = frozenset(
        {
            "mfa_activate_totp",
            "mfa_index",
            "mfa_reauthenticate",
            "account_reauthenticate",
            "account_logout",
            "imprint",
            "privacy",
            "accessibility",
            "healthz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        person = request.user
        if (
            not person.is_authenticated
            or request.session.get(MFA_SET_UP)
            or not mfa_required(person)
        ):
            return None
        match = request.resolver_match
        if not match.namespace and match.url_name in self.OPEN:
            return None
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(person, [Authenticator.Type.TOTP]):
            request.session[MFA_SET_UP] = True
            return None
        messages.warning(
            request,
            _(
                "Als Dezernent:in oder in der Geschäftsstelle melden Sie sich mit einem zweiten "
                "Faktor an. Richten Sie bitte zuerst eine Authenticator-App ein."
            ),
        )
        return redirect("mfa_activate_totp")


class SecurityStateUnavailableMiddleware:
    """The default cache holds security state – rate limits, used TOTP codes – on Redis. When it
    cannot be reached, a check that needs it (sign-in, password reset, a second factor …) cannot
    run: the request answers 503 with a German page instead of a 500, and is never let through
    unchecked. Pages that need no such check are served as usual (the page cache degrades,
    kooperation.cache)."""

    RETRY_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RedisError):
            return None
        logger.error("Redis für die Sicherheitsprüfungen nicht erreichbar: %r", exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
