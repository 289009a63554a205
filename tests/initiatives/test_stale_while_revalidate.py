"""No cache stampede (issue 20, item 1): after a change, one request renders the list anew while
the others get the previous rendering for at most PAGES_STALE_SECONDS; whoever made the change
sees it at once; a Redis that is down costs the cache, not the page."""

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.test.signals import template_rendered
from django.urls import reverse

from initiatives import caching
from tests.concurrency import at_the_same_moment
from tests.factories import AreaFactory, UserFactory, propose

LIST = reverse("initiatives:initiative_list")
RESULTS = "initiatives/_initiative_results.html"


@pytest.fixture
def renders():
    """The names of the templates rendered meanwhile, from every thread (Django's test
    instrumentation sends template_rendered for each one)."""
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note, dispatch_uid="stale-while-revalidate-renders")
    yield rendered
    template_rendered.disconnect(dispatch_uid="stale-while-revalidate-renders")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def list_lock_key() -> str:
    """The lock of the first list page as an unfiltered staff member asks for it."""
    return f"{caching.LIST}:{caching.list_page_key((), '1', True)}:lock"


@pytest.mark.django_db(transaction=True)  # threads with connections of their own; commits renew
def test_after_a_change_one_of_many_requests_at_once_renders_the_list(settings, renders):
    # A bound far above any rendering under load: the test does not depend on the speed.
    settings.PAGES_STALE_SECONDS = 600
    area = AreaFactory()
    author = UserFactory()
    propose(author, area, title="Wohngeld digital")
    clients = [signed_in(UserFactory()) for _ in range(8)]
    assert "Wohngeld digital" in clients[0].get(LIST).text
    assert renders.count(RESULTS) == 1

    propose(author, area, title="Elterngeld digital")  # a new version, once committed
    responses = at_the_same_moment(lambda: clients.pop().get(LIST), 8)

    assert [response.status_code for response in responses] == [200] * 8
    assert renders.count(RESULTS) == 2  # one more: not one per request
    assert all("Wohngeld digital" in response.text for response in responses)
    # The one who rendered saw the change; the others, at worst, the page before it.
    assert any("Elterngeld digital" in response.text for response in responses)
    assert "Elterngeld digital" in signed_in(author).get(LIST).text
    assert renders.count(RESULTS) == 2
    # The next change within a third of the bound waits for the lock to expire: under a steady
    # stream of changes an address is rendered about once a third of the bound, not per change.
    propose(author, area, title="Kindergeld digital")
    assert "Kindergeld digital" not in signed_in(UserFactory()).get(LIST).text
    assert renders.count(RESULTS) == 2


@pytest.mark.django_db(transaction=True)
def test_while_another_renders_others_get_the_previous_page_but_never_the_one_who_changed_it(
    settings, renders
):
    settings.PAGES_STALE_SECONDS = 600
    area = AreaFactory()
    writer, reader = signed_in(UserFactory()), signed_in(UserFactory())
    propose(UserFactory(), area, title="Wohngeld digital")
    reader.get(LIST)
    response = writer.post(
        reverse("initiatives:initiative_create"),
        {
            "title": "Elterngeld digital",
            "summary": "Online.",
            "description": "Mit allen.",
            "area": area.pk,
        },
    )
    assert response.status_code == 302
    # Someone is rendering the new list right now (they hold its lock).
    assert caching._lock(list_lock_key(), 600_000)

    assert "Elterngeld digital" not in reader.get(LIST).text  # the previous page, no waiting
    assert "Elterngeld digital" in writer.get(LIST).text  # their own change at once
    assert "Elterngeld digital" in writer.get(LIST).text  # now the current entry for everyone
    assert "Elterngeld digital" in reader.get(LIST).text


@pytest.mark.django_db(transaction=True)
def test_past_the_staleness_bound_a_request_renders_itself_although_another_holds_the_lock(
    settings,
):
    settings.PAGES_STALE_SECONDS = 0
    area = AreaFactory()
    reader = signed_in(UserFactory())
    propose(UserFactory(), area, title="Wohngeld digital")
    reader.get(LIST)
    propose(UserFactory(), area, title="Elterngeld digital")
    assert caching._lock(list_lock_key(), 600_000)
    assert "Elterngeld digital" in reader.get(LIST).text


@pytest.mark.django_db(transaction=True)
def test_a_stale_common_ground_is_shown_while_another_renders_it(settings):
    settings.PAGES_STALE_SECONDS = 600
    first = caching.Cached(caching.COMMON_GROUND, "shared")
    assert first.get() is None
    first.put("before")
    caching.renew(caching.COMMON_GROUND)
    renderer, other = (caching.Cached(caching.COMMON_GROUND, "shared") for _ in range(2))
    assert renderer.get() is None  # it renders …
    assert other.get() == "before"  # … while the other does not wait
    renderer.put("after")
    assert caching.Cached(caching.COMMON_GROUND, "shared").get() == "after"


DEAD_REDIS = {
    "BACKEND": "kooperation.cache.DegradingRedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}


@pytest.mark.django_db(transaction=True)
def test_with_the_redis_of_the_page_cache_down_the_pages_render_and_changes_are_saved(settings):
    area = AreaFactory()
    writer = signed_in(UserFactory())
    with override_settings(CACHES={**settings.CACHES, "pages": DEAD_REDIS}):
        assert caches["pages"].get("anything") is None
        propose(UserFactory(), area, title="Wohngeld digital")
        assert "Wohngeld digital" in writer.get(LIST).text
        response = writer.post(
            reverse("initiatives:initiative_create"),
            {
                "title": "Elterngeld digital",
                "summary": "Online.",
                "description": "Mit allen.",
                "area": area.pk,
            },
        )
        assert response.status_code == 302
        assert "Elterngeld digital" in writer.get(LIST).text
        assert writer.get(reverse("initiatives:common_ground")).status_code == 200
