"""The Redis cache carrying on without Redis (core/redis_cache.py): a read misses, a write does
nothing, a counter starts again; when Redis is back, nothing written meanwhile comes back
stale. Against a real redis-server, made unreachable by a proxy that keeps its data (a
network fault, not a restart)."""

from __future__ import annotations

import time

import pytest

from core.redis_cache import ResilientRedisCache
from tests.faults.proxy import FaultProxy
from tests.faults.stack import RedisServer
from tools.appserver import free_port

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1}


def redis_cache(port: int) -> ResilientRedisCache:
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "test", "OPTIONS": OPTIONS}
    )
    cache.backoff_seconds = 0.2
    return cache


def test_without_redis_reads_miss_and_writes_do_nothing():
    cache = redis_cache(free_port())  # nothing listens there
    assert cache.get("page", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    cache.set("page", "<html>")
    assert cache.add("counter", 0) is False
    # As for a counter that expired: the inquiry form's rate limit starts again (fails open).
    with pytest.raises(ValueError):
        cache.incr("counter")
    cache.delete("page")
    cache.delete_many(["a", "b"])


@pytest.fixture
def redis_through_proxy(tmp_path):
    server = RedisServer(tmp_path / "redis.log")
    proxy = FaultProxy(("127.0.0.1", server.port))
    yield proxy
    proxy.close()
    server.kill()


def test_keys_written_while_redis_was_away_do_not_come_back_stale(redis_through_proxy):
    proxy = redis_through_proxy
    cache = redis_cache(proxy.port)
    cache.set("session", "signed in")
    cache.set("other", "kept")
    assert cache.get("session") == "signed in"

    proxy.refuse()
    # Signed out while Redis is away: the database forgets the session, Redis cannot.
    cache.delete("session")
    assert cache.get("session") is None

    proxy.up()
    time.sleep(cache.backoff_seconds + 0.1)
    assert cache.get("session") is None, "the session Redis still held must be gone"
    assert cache.get("other") == "kept"
    cache.set("page", "<html>")
    assert cache.get("page") == "<html>", "caching resumes by itself"
