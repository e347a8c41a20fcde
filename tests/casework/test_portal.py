"""The public pages' rate limits (issue 16): the client address comes from the trusted header
only; failed tracking attempts slow down the (client, number) pair and the client, never the
applicant who has the code; the counters live in a cache all worker processes share."""

import uuid

from django.core.cache import caches
from django.test import RequestFactory

import pytest
import redis

from casework import portal


def _request(**meta):
    return RequestFactory().get("/track/", **meta)


def test_client_address_defaults_to_remote_addr_and_ignores_forwarded_headers(settings):
    settings.TRUSTED_PROXY_HEADER = "REMOTE_ADDR"
    request = _request(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert portal.client_address(request) == "10.0.0.9"


def test_client_address_from_the_configured_proxy_header(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    # The right-most entry is the one our proxy appended; the rest the client could forge.
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert portal.client_address(request) == "203.0.113.7"
    # Without the header the address is unknown, not the proxy's (issue 22: one key for all).
    assert portal.client_address(_request(REMOTE_ADDR="127.0.0.1")) == ""


def test_attempts_back_off_the_pair_and_double(settings):
    settings.PORTAL_MAX_FAILURES = 3
    settings.PORTAL_BACKOFF_BASE_SECONDS = 30
    now = 1_000_000.0
    for _ in range(3):
        assert portal.tracking_attempt("a", "2026-0001", now=now) == 0
    assert portal.tracking_attempt("a", "2026-0001", now=now) == 30
    assert portal.tracking_attempt("a", "2026-0001", now=now + 61) == 0  # 4th wait: 60 s
    assert portal.tracking_attempt("a", "2026-0001", now=now + 62) == 119  # then 120 s
    # Another client, or the same client on another number, is not held back.
    assert portal.tracking_attempt("b", "2026-0001", now=now) == 0
    assert portal.tracking_attempt("a", "2026-0002", now=now) == 0
    portal.tracking_success_record("a", "2026-0001")
    assert portal.tracking_attempt("a", "2026-0001", now=now + 62) == 0


def test_a_client_trying_many_numbers_is_slowed_down(settings):
    settings.PORTAL_CLIENT_MAX_ATTEMPTS = 4
    for n in range(4):
        assert portal.tracking_attempt("a", f"2026-{n:04d}") == 0
    assert portal.tracking_attempt("a", "2026-0099") > 0
    assert portal.tracking_attempt("b", "2026-0099") == 0


def test_counters_in_redis_are_seen_by_another_connection(settings):
    """The machine's Redis (127.0.0.1:6379): what one worker records, another reads."""
    prefix = f"test-secweb-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "casework.cache.RedisCache",  # as settings name it with REDIS_URL
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    settings.PORTAL_MAX_FAILURES = 2
    other_worker = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        assert portal.tracking_attempt("10.0.0.1", "2026-0001", now=100.0) == 0
        assert portal.tracking_attempt("10.0.0.1", "2026-0001", now=100.0) == 0
        # The client's counter, the pair's counter and the pair's last attempt.
        assert len(other_worker.keys(f"{prefix}:*")) == 3
        caches["default"].close()
        assert portal.tracking_attempt("10.0.0.1", "2026-0001", now=100.0) > 0
    finally:
        for key in other_worker.keys(f"{prefix}:*"):  # only this test's keys
            other_worker.delete(key)


@pytest.mark.django_db(transaction=True)
def test_counters_in_the_database_cache(settings):
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "casework_cache_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()  # the table outlives a --reuse-db run's flush
    settings.PORTAL_MAX_FAILURES = 1
    assert portal.tracking_attempt("10.0.0.1", "2026-0001", now=100.0) == 0
    assert portal.tracking_attempt("10.0.0.1", "2026-0001", now=100.0) > 0
    assert portal.submissions_count("10.0.0.1", add=True) == 1
    assert portal.submissions_count("10.0.0.1", add=True) == 2
