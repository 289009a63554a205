"""The page cache degrades: a Redis that cannot be reached is a cache miss, never an error page.

Only for what is cached for speed (CACHES["pages"]). Security state (rate limits, used TOTP
codes) is in the default cache, whose errors must not be hidden (kooperation.middleware).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After an error, the cache is not asked again for this many seconds: a Redis that does not
# answer costs one connect timeout per process and pause, not one per cache call.
PAUSE_SECONDS = 5


class ReusedClients(RedisCacheClient):
    """Django's client builds a new redis.Redis – some 200 response callbacks – for every call:
    a fresh list page makes five calls. One client per connection pool serves them all (a
    redis.Redis is safe to share; Django keeps one cache object per thread anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def _call(self, method, fallback, *args, **kwargs):
        return self._guarded(getattr(super(), method), fallback, *args, **kwargs)

    def _guarded(self, function, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return function(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("Seiten-Cache nicht erreichbar (%s): ohne Cache weiter.", error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)

    def lock(self, key, milliseconds) -> bool:
        """SET NX PX: True for the one caller that takes `key` for `milliseconds`
        (https://redis.io/docs/latest/commands/set/); False while another holds it."""
        return self._guarded(self._lock, False, key, milliseconds)

    def _lock(self, key, milliseconds):
        key = self.make_and_validate_key(key)
        return bool(self._cache.get_client(key, write=True).set(key, 1, nx=True, px=milliseconds))
