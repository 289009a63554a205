"""Caching what many people ask for and few change: the rendered initiative list per address,
and the common ground's shared products.

Each cache has a version in the cache. A change to what it shows – initiatives, participations,
fields of work, partners, solutions – sets a new version once the transaction commits
(initiatives.apps connects the signals), so the next request renders anew. Readers take the
version before they read the database: whoever sees the new version reads committed data.
Entries also expire after CACHE_SECONDS, a bound on staleness should a change ever bypass the
signals (a raw UPDATE, say); `migrate` – part of every deployment – starts new versions.
Searches (free text) are not cached: their keys would be as many as people can type.

All of it lives in the "pages" cache (settings.CACHES), which degrades: a Redis that is down is a
miss, and the pages are rendered from the database.
"""

import copy
import hashlib
import uuid
from collections.abc import Callable

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


def version(name: str) -> str:
    key = f"{name}:version"
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, None)
        current = cache.get(key)
    return current


def renew(*names: str) -> None:
    """New versions: every entry of these caches is out of use."""
    cache.set_many({f"{name}:version": uuid.uuid4().hex for name in names}, None)


def changed(*names: str) -> None:
    # robust: a cache that is down must not turn a saved change into an error page.
    transaction.on_commit(lambda: renew(*names), robust=True)


def list_page_key(filters: tuple, page: int | str, can_propose: bool) -> str:
    """The rendered list for one valid filter combination – the filter form's cleaned values in
    a canonical order (InitiativeFilter.cache_key_items) – and page. Keys come from cleaned
    values only: junk in the address must not make new entries and push others out."""
    digest = hashlib.sha256(repr((filters, page, can_propose)).encode()).hexdigest()
    return f"{LIST}:{version(LIST)}:{digest}"


def common_ground_key() -> str:
    return f"{COMMON_GROUND}:{version(COMMON_GROUND)}"


class CachedResultsMixin:
    """For a list view whose part below the heading (`results_template`) is the same for
    everyone who may browse: rendered once per `results_key()` and served from the cache, with
    the page around it (`template_name`, `page_context()`) rendered for each request."""

    results_template: str
    # Given by the view: the cache key of the rendered results (None: not cached), and the
    # address's parameters they are rendered with (their links keep them).
    results_key: Callable[[], str | None]
    results_query: Callable[[], QueryDict]

    def page_context(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        self.cache_key = self.results_key()
        results = cache.get(self.cache_key) if self.cache_key else None
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
        if self.cache_key:
            cache.set(self.cache_key, results, CACHE_SECONDS)
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
