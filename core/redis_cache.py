"""Django's Redis cache, carrying on without Redis.

Everything the site keeps in its cache can be had again without it: a page is rendered
afresh, a session is read from the database (``cached_db``), the page cache's version is
renewed. So while Redis cannot be reached, a read is a miss and a write does nothing, and the
site keeps answering, only slower. Two things keep that quick:

- short socket timeouts (``OPTIONS`` in settings.py): an unreachable Redis costs a request at
  most one connect timeout, not the kernel's minutes;
- a back-off: after a failure the cache is not tried again for ``BACKOFF_SECONDS``, so a page
  that reads the cache twenty times waits for it once.

When Redis answers again, caching resumes by itself. A key written or deleted while Redis was
away still holds its old value there (a session since signed out, the page cache's version
before a change): those keys are deleted first, before the cache is used again, so nothing
stale comes back. The inquiry form's rate limit counts in the cache: without Redis it counts
nothing, it fails open (README, "Behaviour under faults", says why).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 2.0
# Keys whose Redis value may be stale, remembered at most this many (beyond, a warning says to
# flush the cache database by hand).
MAX_STALE_KEYS = 10_000


class ResilientRedisCache(RedisCache):
    backoff_seconds = BACKOFF_SECONDS

    def __init__(self, server, params):
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_since: float | None = None
        self._stale_keys: set[str] = set()
        self._stale_overflow = False

    # --- the state of Redis -------------------------------------------------------------------

    def _available(self) -> bool:
        if time.monotonic() < self._down_until:
            return False
        if self._down_since is not None:
            return self._recover()
        return True

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.backoff_seconds
            starting = self._down_since is None
            if starting:
                self._down_since = time.time()
        if starting:
            logger.warning("Redis unavailable: the cache is bypassed until it is back (%s)", error)

    def _recover(self) -> bool:
        """Redis was away: delete what may be stale there, then use it again."""
        with self._lock:
            keys, self._stale_keys = list(self._stale_keys), set()
            overflow, self._stale_overflow = self._stale_overflow, False
        try:
            if keys:
                self._cache.delete_many(keys)
        except RedisError as error:
            with self._lock:
                self._stale_keys.update(keys)
                self._stale_overflow |= overflow
            self._failed(error)
            return False
        if overflow:
            logger.warning(
                "Redis is back, but more than %s keys were written while it was away: flush "
                "the cache database to be sure none is stale",
                MAX_STALE_KEYS,
            )
        since, self._down_since = self._down_since, None
        if since is not None:
            logger.warning("Redis available again after %.1f s", time.time() - since)
        return True

    def _remember_stale(self, keys) -> None:
        with self._lock:
            for key in keys:
                if len(self._stale_keys) >= MAX_STALE_KEYS:
                    self._stale_overflow = True
                    return
                self._stale_keys.add(key)

    def _read(self, call, default):
        if not self._available():
            return default
        try:
            return call()
        except RedisError as error:
            self._failed(error)
            return default

    def _write(self, keys, call, default=None):
        if not self._available():
            self._remember_stale(keys)
            return default
        try:
            return call()
        except RedisError as error:
            self._failed(error)
            self._remember_stale(keys)
            return default

    # --- Django's cache API: reads miss, writes do nothing while Redis is away ---------------

    def _key(self, key, version):
        return self.make_and_validate_key(key, version=version)

    def get(self, key, default=None, version=None):
        return self._read(
            lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._read(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._read(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._write(
            [self._key(key, version)], lambda: parent.add(key, value, timeout, version), False
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        self._write([self._key(key, version)], lambda: parent.set(key, value, timeout, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        keys = [self._key(key, version) for key in data]
        return self._write(keys, lambda: parent.set_many(data, timeout, version), [])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._read(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        parent = super()
        return self._write([self._key(key, version)], lambda: parent.delete(key, version), False)

    def delete_many(self, keys, version=None):
        parent = super()
        made = [self._key(key, version) for key in keys]
        self._write(made, lambda: parent.delete_many(keys, version))

    def incr(self, key, delta=1, version=None):
        parent = super()
        made = self._key(key, version)
        if not self._available():
            self._remember_stale([made])
            # As for a key that is not there: what a counter's caller handles already.
            raise ValueError(f"Key '{made}' not found (Redis unavailable).")
        try:
            return parent.incr(key, delta, version)
        except RedisError as error:
            self._failed(error)
            self._remember_stale([made])
            raise ValueError(f"Key '{made}' not found (Redis unavailable).") from error

    def clear(self):
        return self._read(lambda: super(ResilientRedisCache, self).clear(), False)
