"""The cache backends: a file cache for one machine, and a Redis cache that turns an
outage into cache misses, logged once.

PageFileCache (no REDIS_URL) is Django's file cache with its values stored pickled
but not compressed: each stored page is read by every worker many times for each
write, and decompressing it was a third of a cache hit's time (docs/benchmarks.md).
The files are larger, which the operating system's own page cache absorbs.

TolerantRedisCache is built on django-redis, which keeps one client per server where
Django's own RedisCache builds a new one for every call (most of a page-cache hit's
time). While Redis is unreachable every read is a miss and every write is dropped, so
pages are served uncached; Redis is tried again every RETRY_SECONDS, not on every
call, so an outage costs no time per request. Going down and coming back are logged
once each, and on coming back the keys named in STALE_AFTER_OUTAGE are deleted (writes
that should have changed them were dropped meanwhile).
"""

import logging
import pickle
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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

    def recovered(self, location):
        """True for the one caller that sees the cache come back."""
        with self.lock:
            if not self.down:
                return False
            self.down = False
        logger.warning("Cache available again at %s.", location)
        return True


class PageFileCache(FileBasedCache):
    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as file:
                if not self._is_expired(file):
                    return pickle.load(file)
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        # Called by set() with a temporary file, renamed into place afterwards.
        file.write(
            pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol)
        )
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        missing = object()
        value = self.get(key, missing, version)
        if value is missing:
            return False
        self.set(key, value, timeout, version)
        return True


_outages = {}
_outages_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        # A Redis that stops answering must not hold a request for long.
        options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
        options.update(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        self.location = server
        self.stale_after_outage = params.get("STALE_AFTER_OUTAGE", [])
        with _outages_lock:
            self.outage = _outages.setdefault(server, Outage())

    def _try(self, fallback, method, *args, **kwargs):
        if self.outage.skipping():
            return fallback
        try:
            if self.outage.down:
                super().delete_many(self.stale_after_outage)
            result = method(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self.outage.failed(self.location, error)
            return fallback
        self.outage.recovered(self.location)
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
