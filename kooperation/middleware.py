from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from kooperation.mfa import mfa_required

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


class PrivateCacheControlMiddleware:
    """What a signed-in person sees, and every download, is stored by no browser cache or proxy
    (`Cache-Control: private, no-store`): a shared computer's back button or a proxy must not
    show it to the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or response.get("Content-Disposition", "").startswith("attachment"):
            patch_cache_control(response, private=True, no_store=True)
        return response
