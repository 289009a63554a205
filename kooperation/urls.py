from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kooperation import overview_views, views
from kooperation.feed import ActivityFeed

admin.site.site_header = "Kooperationsportal – Verwaltung"
admin.site.site_title = "Kooperationsportal"
admin.site.index_title = "Geschäftsstelle"


def _says_whose_admin_it_is(login):
    """allauth refuses signed-in people outside the office without a word; the 403 page says
    whose the admin is and where the rest of the portal is."""

    @wraps(login)
    def view(request, *args, **kwargs):
        try:
            return login(request, *args, **kwargs)
        except PermissionDenied:
            raise PermissionDenied(
                _(
                    "Die Verwaltung ist der Geschäftsstelle der Kooperation vorbehalten. Was Sie "
                    "für Ihren Partner erledigen, finden Sie auf den Seiten des Portals; "
                    "Änderungen an Partnern, Personen oder der Vereinbarung erbitten Sie bitte "
                    "bei der Geschäftsstelle."
                )
            ) from None

    return view


# The admin has no login of its own: it sends to allauth's, with its rate limits.
admin.site.login = _says_whose_admin_it_is(secure_admin_login(admin.site.login))

urlpatterns = [
    path("", views.home, name="home"),
    path("ueber/", views.AboutView.as_view(), name="about"),
    path("aktivitaeten/", overview_views.ActivityView.as_view(), name="activity"),
    path(
        "aktivitaeten/feed/<int:user_id>/<str:token>/",
        ActivityFeed(),
        name="activity_feed",
    ),
    path("konto/feed/", overview_views.FeedKeyRenewView.as_view(), name="feed_key_renew"),
    path("healthz/", views.healthz, name="healthz"),
    path("impressum/", views.LegalPageView.as_view(kind="imprint"), name="imprint"),
    path("datenschutz/", views.LegalPageView.as_view(kind="privacy"), name="privacy"),
    path("barrierefreiheit/", views.AccessibilityView.as_view(), name="accessibility"),
    path("", include("partners.urls")),
    path("", include("initiatives.urls")),
    path("", include("positions.urls")),
    path("konto/", views.AccountView.as_view(), name="account"),
    path(
        "konto/benachrichtigungen/",
        views.DigestSettingsView.as_view(),
        name="digest_settings",
    ),
    path("konto/meine-daten/", views.PersonalDataView.as_view(), name="personal_data"),
    path(
        "konto/meine-daten/export.json",
        views.personal_data_export,
        name="personal_data_export",
    ),
    path(
        "zusammenfassung/abbestellen/<str:token>/",
        views.DigestUnsubscribeView.as_view(),
        name="digest_unsubscribe",
    ),
    path("konto/", include("allauth.urls")),
    path("verwaltung/", admin.site.urls),
]

handler500 = "kooperation.views.server_error"
