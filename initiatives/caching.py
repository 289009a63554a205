"""Caching what many people ask for and few change: the rendered initiative list per address,
and the common ground's shared products.

Each cache has a version in the cache. A change to what it shows – initiatives, participations,
fields of work, partners, solutions – sets a new version once the transaction commits
(initiatives.apps connects the signals), so the next request renders anew. Readers take the
version before they read the database: whoever sees the new version reads committed data.
Entries also expire after CACHE_SECONDS, a bound on staleness should a change ever bypass the
signals (a raw UPDATE, say).
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

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


def changed(*names: str) -> None:
    def bump():
        cache.set_many({f"{name}:version": uuid.uuid4().hex for name in names}, None)

    transaction.on_commit(bump)


def list_page_key(query, can_propose: bool, known: set[str]) -> str:
    """The rendered list for one address: its `known` GET parameters, in any order (others
    change nothing on the page, and must not make a new entry each)."""
    items = sorted(
        (name, value) for name in query if name in known for value in query.getlist(name)
    )
    digest = hashlib.sha256(repr((items, can_propose)).encode()).hexdigest()
    return f"{LIST}:{version(LIST)}:{digest}"


def common_ground_key() -> str:
    return f"{COMMON_GROUND}:{version(COMMON_GROUND)}"


# Receivers of post_save and post_delete (connected in initiatives.apps).


def list_changed(**kwargs):
    changed(LIST)


def solutions_changed(**kwargs):
    changed(COMMON_GROUND)


def partner_changed(**kwargs):
    changed(LIST, COMMON_GROUND)
