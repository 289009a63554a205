import logging
import sys

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView, UpdateView
from redis import Redis
from redis.exceptions import RedisError

from initiatives.models import Area
from initiatives.permissions import can_browse
from kooperation import digest, privacy, services
from kooperation.feed import feed_path
from kooperation.forms import (
    AccessibilityFeedbackForm,
    AccountDeleteForm,
    DigestSettingForm,
    ProfileForm,
)
from kooperation.mfa import mfa_required
from kooperation.models import DigestSetting, Frequency, LegalPage, OverviewState
from kooperation.overview_views import OverviewView
from partners.models import Partner

logger = logging.getLogger(__name__)


def home(request, *args, **kwargs):
    """`/`: "Mein Überblick" for people of the partners and the office, who work here every
    day; the cooperation at a glance for everyone else."""
    if can_browse(request.user):
        return OverviewView.as_view()(request, *args, **kwargs)
    return AboutView.as_view()(request, *args, **kwargs)


class AboutView(TemplateView):
    """The cooperation at a glance ("Über die Kooperation"). A regional cooperation sees all its
    partners here; a national one the first HOME_PARTNERS and the way to the directory."""

    template_name = "home.html"
    HOME_PARTNERS = 12

    def get_context_data(self, **kwargs):
        members = Partner.objects.members()
        partners = list(members.with_department_heads().order_by("name")[: self.HOME_PARTNERS])
        count = len(partners) if len(partners) < self.HOME_PARTNERS else members.count()
        return super().get_context_data(
            partners=partners,
            partner_count=count,
            more_partners=count - len(partners),
            areas=Area.objects.all(),
            **kwargs,
        )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _redis_state(url: str) -> str:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return "inline"
    try:
        client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return "ok" if client.ping() else "error"
        finally:
            client.close()
    except RedisError:
        return "error"


def _cache_state(alias: str) -> str:
    config = settings.CACHES[alias]
    if "redis" not in config["BACKEND"].lower():
        return "local"
    return _redis_state(config["LOCATION"])


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 while the database answers (it also holds the
    security state: rate limits, used TOTP codes), else 503.

    The broker's and the page cache's states are reported but do not fail the check: pages are
    served without them (e-mails wait in the outbox, pages are rendered without cache).
    """
    database_ok = _database_answers()
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "error",
        "page_cache": _cache_state("pages"),
        "broker": _redis_state(settings.CELERY_BROKER_URL),
    }
    return JsonResponse(body, status=200 if database_ok else 503)


class AccountView(LoginRequiredMixin, UpdateView):
    """The account page: name and function to edit here; partner and role as the office set
    them; and where each of the rest is managed – e-mail addresses, password, second factor,
    sessions, the digest and the person's data."""

    form_class = ProfileForm
    template_name = "kooperation/account.html"
    success_url = reverse_lazy("account")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        user = self.request.user
        setting = DigestSetting.objects.filter(user=user).prefetch_related("areas").first()
        return super().get_context_data(
            email_addresses=EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
            has_totp=Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            mfa_required=mfa_required(user),
            digest_frequency=Frequency(
                setting.frequency if setting else DigestSetting.default_frequency(user)
            ).label,
            digest_areas=list(setting.areas.all()) if setting else [],
            feed_url=self.feed_url(user),
            can_have_feed=can_browse(user),
            **kwargs,
        )

    def feed_url(self, user) -> str:
        """The link of the person's Atom feed (people of the partners and the office); none
        before their first key (made by their first overview or the button)."""
        if not can_browse(user):
            return ""
        state = OverviewState.objects.filter(user=user).first()
        return self.request.build_absolute_uri(feed_path(state)) if state else ""

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Ihre Angaben sind gespeichert."))
        return response


class DigestSettingsView(LoginRequiredMixin, UpdateView):
    """The digest part of the account page: how often, and on which fields of work."""

    form_class = DigestSettingForm
    template_name = "kooperation/digest_settings.html"
    success_url = reverse_lazy("digest_settings")

    def get_object(self, queryset=None):
        user = self.request.user
        setting = DigestSetting.objects.filter(user=user).first()
        return setting or DigestSetting(user=user, frequency=DigestSetting.default_frequency(user))

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Ihre Einstellungen zur Zusammenfassung sind gespeichert.")
        )
        return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")  # the page shows an e-mail address
class DigestUnsubscribeView(View):
    """The link in every digest (RFC 8058): GET asks, POST (the button here, or the mail
    program's one-click request) sets the digest to never. The signed, expiring token stands in
    for signing in and for the CSRF token: it cannot be forged, and it only switches e-mails off.
    """

    template_name = "kooperation/digest_unsubscribe.html"

    def person(self, token):
        try:
            return digest.user_from_unsubscribe_token(token), None
        except signing.SignatureExpired:
            return None, "expired"
        except signing.BadSignature:
            return None, "invalid"

    def get(self, request, token):
        person, problem = self.person(token)
        return self.render(request, person, problem, done=False)

    def post(self, request, token):
        person, problem = self.person(token)
        if person is not None:
            DigestSetting.objects.update_or_create(
                user=person,
                defaults={"frequency": Frequency.NEVER},
            )
        return self.render(request, person, problem, done=True)

    def render(self, request, person, problem, *, done):
        if person is None and problem is None:
            problem = "invalid"  # a valid signature for a person deleted since
        status = 400 if problem else 200
        context = {"person": person, "problem": problem, "done": done}
        return render(request, self.template_name, context, status=status)


class PersonalDataView(LoginRequiredMixin, FormView):
    """What the portal stores about the signed-in person (download) and leaving it."""

    template_name = "kooperation/personal_data.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.request.user}

    def post(self, request, *args, **kwargs):
        # Each try checks the password: as limited as allauth's reauthentication.
        limited = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
        return limited or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        person = self.request.user
        logout(self.request)
        privacy.account_delete(person=person)
        messages.success(
            self.request,
            _("Ihr Konto ist gelöscht. Beiträge zur Kooperation bleiben als „ehemalige Person“."),
        )
        return redirect("home")


@login_required
@require_GET
def personal_data_export(request):
    response = JsonResponse(
        privacy.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    response["Cache-Control"] = "no-store"
    return response


class LegalPageView(TemplateView):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit: the operator's text from
    the admin, else the template (which says it is one)."""

    kind = None
    TEMPLATES = {
        LegalPage.Kind.IMPRINT: "pages/impressum.html",
        LegalPage.Kind.PRIVACY: "pages/datenschutz.html",
        LegalPage.Kind.ACCESSIBILITY: "pages/barrierefreiheit.html",
    }

    def get_template_names(self):
        return [self.TEMPLATES[self.kind]]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=LegalPage.objects.filter(kind=self.kind).first(), **kwargs
        )


class AccessibilityView(LegalPageView):
    """The accessibility statement with its feedback form: anyone may report a barrier."""

    kind = LegalPage.Kind.ACCESSIBILITY

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AccessibilityFeedbackForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        limited = ratelimit.consume_or_429(request, action="accessibility_feedback")
        if limited:
            return limited
        form = AccessibilityFeedbackForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.accessibility_feedback_submit(**form.cleaned_data)
        messages.success(
            request,
            _("Danke für Ihre Rückmeldung. Die Geschäftsstelle kümmert sich darum."),
        )
        return redirect("accessibility")


# A service a request needs is gone – the database (which also holds the security state: rate
# limits, used TOTP codes) or a Redis. Django calls the error handler inside the `except` of the
# failed request, so the handler sees the exception.
UNAVAILABLE = (OperationalError, InterfaceError, RedisError)


def server_error(request):
    """handler500: 503 with a German page and Retry-After when a service is unavailable (the
    request was not carried out, nothing was let through unchecked), else the 500 page. Both are
    rendered without the request's context: asking who is signed in needs the database."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        logger.error("Dienst nicht erreichbar: %r", sys.exc_info()[1])
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
