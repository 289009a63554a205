from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import ValidationError


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Every person belongs to a partner. Until sign-up can tell the partner from the
        # address (its e-mail domains), people are created by the cooperation's office.
        return False

    def pre_authenticate(self, request, **credentials):
        """Too many failed sign-ins answer 429 ("Zu viele Versuche"), not a form error: a
        client, a proxy and monitoring can all tell a lockout from a wrong password."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:  # allauth raises it only for the login_failed limit
            raise ImmediateHttpResponse(ratelimit.respond_429(request)) from error
