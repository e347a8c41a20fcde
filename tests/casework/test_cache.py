"""casework.cache: Django's Redis backend with one client per connection pool (the machine's
Redis on 127.0.0.1:6379)."""

import uuid

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

import redis

from casework.cache import RedisCache

URL = "redis://127.0.0.1:6379/15"


def _cache() -> RedisCache:
    return RedisCache(URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex[:8]}"})


def _forget(cache: RedisCache) -> None:
    """Delete this test's keys only (database 15 is shared with other tests)."""
    client = redis.Redis.from_url(URL)
    for key in client.keys(f"{cache.key_prefix}:*"):
        client.delete(key)


def test_one_client_serves_every_call_and_values_round_trip():
    cache = _cache()
    try:
        cache.set("a", {"n": 1}, 30)
        assert cache.get("a") == {"n": 1}
        assert cache.add("a-count", 0, 30)
        assert cache.incr("a-count") == 1
        first = cache._cache.get_client(write=True)
        assert cache._cache.get_client(write=False) is first
        assert isinstance(first, redis.Redis)
    finally:
        _forget(cache)


def test_djangos_own_backend_builds_a_client_per_call():
    """Why the subclass exists: if Django ever keeps its client, this fails and the subclass
    can go."""
    django_cache = DjangoRedisCache(URL, {})
    assert django_cache._cache.get_client() is not django_cache._cache.get_client()


def test_what_one_process_writes_another_reads():
    writer, reader = _cache(), _cache()
    reader.key_prefix = writer.key_prefix
    try:
        writer.set("shared", "x", 30)
        assert reader.get("shared") == "x"
    finally:
        _forget(writer)
