"""A Redis cache that turns an outage into cache misses, logged once.

Use it as the cache BACKEND wherever Django's own RedisCache would go. While Redis is
unreachable every read is a miss and every write is dropped, so pages are served
uncached; Redis is tried again every RETRY_SECONDS, not on every call, so an outage
costs no time per request. Going down and coming back are logged once each.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from partners.cache import VERSION_KEY

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)


class Outage:
    """Shared by every thread's backend for one Redis location."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def skipping(self):
        return self.down and time.monotonic() < self.retry_at

    def failed(self, location, error):
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if not self.down:
                self.down = True
                logger.error(
                    "Cache unavailable at %s (%s); serving pages uncached.",
                    location,
                    type(error).__name__,
                )

    def succeeded(self, location):
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Cache available again at %s.", location)


_outages = {}
_outages_lock = threading.Lock()


class ReusedClient(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call, which costs more than a
    page-cache hit's round trip; a client is thread-safe, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            pool = self._get_connection_pool(write)
            self._clients[index] = self._client(connection_pool=pool)
        return self._clients[index]


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        # A Redis that stops answering must not hold a request for long.
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        options.update(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClient
        self._location = ",".join(self._servers)
        with _outages_lock:
            self._outage = _outages.setdefault(self._location, Outage())

    def _try(self, fallback, method, *args, **kwargs):
        if self._outage.skipping():
            return fallback
        try:
            if self._outage.down:
                # Edits saved during the outage could not invalidate cached pages.
                super().delete(VERSION_KEY)
            result = method(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self._outage.failed(self._location, error)
            return fallback
        self._outage.succeeded(self._location)
        return result

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version)

    def clear(self):
        return self._try(False, super().clear)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._try(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result
