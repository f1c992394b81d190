"""The shared cache through its own interface (portal.cache), against a private redis-server that
the tests stop, freeze and bring back."""

import time

import pytest
from django.core.cache import cache

from portal.cache import RETRY_SECONDS, CacheUnavailable
from portal.models import FallbackCacheEntry
from portal.settings.base import redis_cache
from portal.tests.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings, redis_server):  # noqa: F811
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    return redis_server


def test_while_redis_is_stopped_reads_miss_and_writes_are_dropped_at_once(redis):
    cache.set("greeting", "你好")
    redis.stop()
    started = time.perf_counter()
    for _ in range(100):
        assert cache.get("greeting", "missed") == "missed"
        assert cache.set("greeting", "再见") is False
        assert cache.add("other", 1) is False
        assert cache.get_or_set("computed", lambda: 42) == 42
        assert cache.get_many(["greeting", "other"]) == {}
        assert cache.delete("greeting") is False
    assert time.perf_counter() - started < 0.5  # 600 calls: microseconds each
    with pytest.raises(CacheUnavailable):
        cache.incr("counter")
    assert issubclass(CacheUnavailable, ValueError)  # what callers of Django's incr handle


def test_a_frozen_redis_costs_one_timeout_then_nothing_for_a_second(redis):
    cache.set("greeting", "你好")
    redis.hang()
    try:
        started = time.perf_counter()
        assert cache.get("greeting") is None
        first = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(50):
            assert cache.get("greeting") is None
        then = time.perf_counter() - started
    finally:
        redis.resume()
    assert first < 1.0  # REDIS_TIMEOUT, 0.5 s
    assert then < 0.05


def test_what_was_written_during_the_outage_is_not_read_stale_afterwards(redis):
    """The values Redis kept are older than what the site wrote meanwhile: they are deleted
    when it answers again, before anything is read."""
    cache.set("pages:version", 1, None)
    cache.set("session", {"user": 7})
    redis.hang()
    try:
        cache.set("pages:version", 2, None)  # lost
        cache.delete("session")  # lost
    finally:
        redis.resume()
    time.sleep(RETRY_SECONDS)
    assert cache.get("pages:version") is None
    assert cache.get("session") is None
    cache.set("pages:version", 3, None)
    assert cache.get("pages:version") == 3


def test_the_sign_in_limits_count_in_the_database_while_redis_is_down(redis):
    key = "allauth:rl:allauth.account:login_failed:10/60.0/ip:127.0.0.1"
    redis.stop()
    assert cache.add(key + ":lock", True) is True
    assert cache.add(key + ":lock", True) is False  # a lock still works
    cache.set(key, [3.0, 2.0, 1.0], 60)
    assert cache.get(key, []) == [3.0, 2.0, 1.0]
    assert FallbackCacheEntry.objects.filter(cache_key__endswith=key).exists()
    assert cache.delete(key + ":lock") is True
    assert cache.get("any:other:key") is None  # only the limits go to the database


def test_redis_back_serves_from_redis_again(redis):
    redis.stop()
    cache.set("greeting", "dropped")
    redis.start()
    time.sleep(RETRY_SECONDS)
    cache.set("greeting", "你好")
    assert cache.get("greeting") == "你好"
