"""Caching what many people ask for and few change: the rendered initiative list per address,
and the common ground's shared products.

Each cache has a version in the cache. A change to what it shows – initiatives, participations,
fields of work, partners, solutions – sets a new version once the transaction commits
(initiatives.apps connects the signals). Readers take the version before they read the database:
whoever sees the new version reads committed data. Entries also expire after CACHE_SECONDS, a
bound on staleness should a change ever bypass the signals (a raw UPDATE, say); `migrate` – part
of every deployment – starts new versions. Searches (free text) are not cached: their keys would
be as many as people can type.

Stale while revalidate: an entry's key does not hold the version; the entry does. When the
version has moved on, one request – the one that gets the entry's lock in Redis (SET NX PX) –
renders anew, while everyone else gets the previous rendering, for at most
settings.PAGES_STALE_SECONDS after the change it misses. Nobody waits for another's rendering:
past that bound a request renders itself. The lock stays until it expires, a third of the bound:
while changes keep coming (10 a second), an address is rendered anew about once a second, not
once per change. A person who changed something never gets an entry read before their change
(OwnChangesMiddleware marks the session), so they see their change at once. Without this, each
change made every request that came before the first new rendering was stored render the same
page itself (issue 20).

All of it lives in the "pages" cache (settings.CACHES), which degrades: a Redis that is down is a
miss, and the pages are rendered from the database.
"""

import copy
import hashlib
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.connection import ConnectionProxy
from django.utils.safestring import mark_safe

# What is cached only for speed; never security state (that is the default cache).
cache = ConnectionProxy(caches, "pages")

CACHE_SECONDS = 10 * 60
LIST = "initiatives:list"
COMMON_GROUND = "initiatives:common-ground"


def _new_version(previous: tuple | None = None) -> tuple[str, float, str | None]:
    """(id, when it was set, the id before it): an entry of the version before is stale since
    exactly then."""
    return (uuid.uuid4().hex, time.time(), previous[0] if previous else None)


def version(name: str) -> tuple[str, float, str | None]:
    key = f"{name}:version"
    current = cache.get(key)
    if current is None:
        cache.add(key, _new_version(), None)
        current = cache.get(key) or _new_version()  # a cache that is down: a version of our own
    return current


def renew(*names: str) -> None:
    """New versions: every entry of these caches is out of date from now on. Two renewals at
    the same moment may both name the same version before theirs: an entry of it then counts
    as older (bounded by its reading time), never as newer."""
    keys = [f"{name}:version" for name in names]
    current = cache.get_many(keys)
    cache.set_many({key: _new_version(current.get(key)) for key in keys}, None)


_own = Local()


def changed(*names: str) -> None:
    # robust: a cache that is down must not turn a saved change into an error page.
    transaction.on_commit(lambda: renew(*names), robust=True)
    _own.changed = True


OWN_CHANGE = "initiatives_own_change_at"


class OwnChangesMiddleware:
    """Notes in the session when a request changed what a cache shows, so that the person's
    next requests never get a rendering read before the change (their own change stays
    visible). Costs a session write only on such requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _own.changed = False
        response = self.get_response(request)
        if _own.changed and hasattr(request, "session"):
            request.session[OWN_CHANGE] = time.time()  # after the commit: the view has returned
        return response


class Cached:
    """One entry of the cache `name` under `key`: `get()` gives its value, current or (unless
    `stale` is False) stale within the bound, or None – then the caller computes it and hands
    it to `put()`."""

    def __init__(self, name: str, key: str, request=None, *, stale: bool = True):
        self.name, self.key = name, f"{name}:{key}"
        self.version_key = f"{name}:version"
        session = getattr(request, "session", None)
        self.own_change_at = session.get(OWN_CHANGE) if session is not None else None
        self.stale = stale

    def get(self) -> Any:
        found = cache.get_many([self.version_key, self.key])
        self.read_at = time.time()  # before the caller reads the database
        current = found.get(self.version_key)
        if current is None:
            current = version(self.name)
        self.version = current[0]
        entry = found.get(self.key)
        if entry is None:
            return None
        entry_version, read_at, value = entry
        if entry_version == self.version:
            return value
        if not self.stale:
            return None
        if self.own_change_at is not None and read_at <= self.own_change_at:
            return None
        stale_seconds = settings.PAGES_STALE_SECONDS
        # Stale since the change it misses: the version's, if the entry is just one behind,
        # else (several changes since) at most since it was read.
        since = current[1] if entry_version == current[2] else read_at
        if self.read_at - since > stale_seconds:
            return None
        # One request renders anew. Its lock is not released: it expires after a third of the
        # bound, so that changes coming in meanwhile wait for the next rendering (a rendering
        # that fails or hangs costs no more than that either).
        if _lock(f"{self.key}:lock", max(1, math.ceil(stale_seconds * 1000 / 3))):
            return None
        return value

    def put(self, value: Any) -> None:
        cache.set(self.key, (self.version, self.read_at, value), CACHE_SECONDS)


def _lock(key: str, milliseconds: int) -> bool:
    """True for the one caller that gets `key` for `milliseconds`: SET NX PX in Redis (see
    kooperation.cache), `add` in a cache of the process (development without Redis)."""
    if hasattr(cache, "lock"):
        return cache.lock(key, milliseconds)
    return cache.add(key, 1, math.ceil(milliseconds / 1000))


def list_page_key(filters: tuple, page: int | str, can_propose: bool) -> str:
    """The rendered list for one valid filter combination – the filter form's cleaned values in
    a canonical order (InitiativeFilter.cache_key_items) – and page. Keys come from cleaned
    values only: junk in the address must not make new entries and push others out."""
    return hashlib.sha256(repr((filters, page, can_propose)).encode()).hexdigest()


class CachedResultsMixin:
    """For a list view whose part below the heading (`results_template`) is the same for
    everyone who may browse: rendered once per `results_key()` and served from the cache, with
    the page around it (`template_name`, `page_context()`) rendered for each request."""

    results_template: str
    # Given by the view: the cache key of the rendered results (None: not cached), and the
    # address's parameters they are rendered with (their links keep them).
    results_key: Callable[[], str | None]
    results_query: Callable[[], QueryDict]
    results_cache: str = LIST

    def page_context(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        key = self.results_key()
        self.cached = Cached(self.results_cache, key, request) if key else None
        results = self.cached.get() if self.cached else None
        if results is not None:
            return TemplateResponse(
                request,
                self.template_name,
                {"results": mark_safe(results), **self.page_context()},  # noqa: S308
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**self.page_context(), **kwargs)
        # Rendered for the known parameters only: a cached page must not carry someone's extra
        # ones to everybody.
        known = copy.copy(self.request)
        known.GET = self.results_query()
        results = render_to_string(self.results_template, context, known)
        if self.cached:
            self.cached.put(results)
        context["results"] = mark_safe(results)  # noqa: S308 - our own template's output
        return context


# Receivers of post_save and post_delete (connected in initiatives.apps).


def list_changed(**kwargs):
    changed(LIST)


def solutions_changed(**kwargs):
    changed(COMMON_GROUND)


def partner_changed(**kwargs):
    changed(LIST, COMMON_GROUND)


def migrated(**kwargs):
    """After `migrate` (every deployment runs it): templates or data may have changed."""
    renew(LIST, COMMON_GROUND)
