"""The personal Atom feed of a person's activity (the activity page's, newest first), behind a
link signed with a key kept per person: regenerating the key in "Mein Konto" invalidates the
old link. The link stands in for signing in, so it shows only what the person may see."""

from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from initiatives.permissions import can_browse
from kooperation import activity
from kooperation.models import OverviewState
from kooperation.overview import reader_of
from partners.models import User

FEED_ITEMS = 50
FEED_WINDOW = timedelta(days=28)


def feed_token(user_id: int, key: str) -> str:
    return salted_hmac("kooperation.feed", f"{user_id}:{key}", algorithm="sha256").hexdigest()


def feed_path(state: OverviewState) -> str:
    return reverse("activity_feed", args=[state.user_id, feed_token(state.user_id, state.feed_key)])


class ActivityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, user_id, token):
        state = OverviewState.objects.filter(user_id=user_id).select_related("user").first()
        if state is None or not constant_time_compare(token, feed_token(user_id, state.feed_key)):
            raise Http404(_("Dieser Link ist ungültig."))
        if not state.user.is_active or not can_browse(state.user):
            raise Http404(_("Dieser Link ist ungültig."))
        return state.user

    def title(self, user: User):
        name = user.name or user.email
        return _("Aktivitäten im Kooperationsportal für %(name)s") % {"name": name}

    def link(self, user: User):
        return reverse("activity")

    def subtitle(self, user: User):
        return _("Was bei den anderen Partnern geschehen ist – wie in Ihrer Zusammenfassung.")

    def items(self, user: User):
        now = timezone.now()
        return activity.newest_for(reader_of(user), now - FEED_WINDOW, now, limit=FEED_ITEMS).items

    def item_title(self, item):
        return item.text

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.path

    def item_guid(self, item):
        return f"{item.path}#{item.at.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at
