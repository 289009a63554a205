"""The pages of people who work in the portal every day: "Mein Überblick" at `/`, all activity
at `/aktivitaeten/`, and renewing the link of the personal feed (the feed: kooperation.feed)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from initiatives.permissions import can_browse
from kooperation import activity, overview, services
from kooperation.filters import ActivityFilter

ACTIVITY_WINDOW = timedelta(days=90)
ACTIVITY_PER_PAGE = 25


class OverviewView(TemplateView):
    """The overview of a signed-in person of a member partner (or the office)."""

    template_name = "kooperation/overview.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        previous_visit = services.overview_visit(user=user, now=now)
        return super().get_context_data(
            overview=overview.overview_of(user, previous_visit=previous_visit, now=now),
            previous_visit=previous_visit,
            **kwargs,
        )


class MergedActivity:
    """A reader's activity in a window as the Paginator wants it (count and slices): each
    source is asked once for its newest up to the end of the page asked for (`upto`) and their
    number; a page beyond that (the Paginator's fallback to the last page) asks again."""

    def __init__(self, reader, since, until, *, upto: int):
        self.reader, self.since, self.until = reader, since, until
        self.upto = max(upto, 1)  # an empty page asks the sources, too
        self._newest = None

    def newest(self, upto: int):
        if self._newest is None or upto > self.upto:
            self.upto = max(upto, self.upto)
            self._newest = activity.newest_for(self.reader, self.since, self.until, limit=self.upto)
        return self._newest

    def count(self) -> int:
        return self.newest(self.upto).total

    def __getitem__(self, window: slice):
        return self.newest(window.stop).items[window.start : window.stop]


class ActivityView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Everything the person may see of the last ACTIVITY_WINDOW, newest first, in pages."""

    template_name = "kooperation/activity.html"

    def test_func(self):
        return can_browse(self.request.user)

    def get_context_data(self, **kwargs):
        filterset = ActivityFilter(self.request.GET or None)
        if filterset.is_bound and not filterset.form.is_valid():
            messages.warning(
                self.request, _("Ungültige Filter in der Adresse bleiben unberücksichtigt.")
            )
        narrowing = filterset.narrowing() if filterset.is_bound else {}
        now = timezone.now()
        reader = overview.reader_of(self.request.user, **narrowing)
        number = self.request.GET.get("page")
        asked = int(number) if number and number.isdigit() and len(number) < 6 else 1
        items = MergedActivity(reader, now - ACTIVITY_WINDOW, now, upto=asked * ACTIVITY_PER_PAGE)
        page = Paginator(items, ACTIVITY_PER_PAGE).get_page(number)
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            days=overview.by_day(list(page.object_list)),
            since=now - ACTIVITY_WINDOW,
            **kwargs,
        )


class FeedKeyRenewView(LoginRequiredMixin, View):
    """POST only: a new feed link; the old one stops working."""

    http_method_names = ["post"]

    def post(self, request):
        services.feed_key_renew(user=request.user)
        messages.success(request, _("Ihr Feed hat einen neuen Link. Der alte gilt nicht mehr."))
        return redirect("account")
