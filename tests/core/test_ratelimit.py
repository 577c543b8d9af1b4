"""The limiter's contract, run against each backend; and its atomicity under parallel hits."""

from __future__ import annotations

import datetime
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.utils import translation
from freezegun import freeze_time

from cas_educonnect.core.ratelimit import Backoff, FixedWindow, Limit, hit_all, lock_message_time, storage_key
from cas_educonnect.core.ratelimit.backends import CacheBackend
from cas_educonnect.models import RateLimitCounter
from cas_educonnect.routes.sms import services as sms_services
from tests.services import redis_up

CACHE = "cas_educonnect.core.ratelimit.backends.CacheBackend"
DATABASE = "cas_educonnect.core.ratelimit.backends.DatabaseBackend"
T0 = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(params=[CACHE, DATABASE], ids=["cache", "database"])
def backend(request, settings, db):
    settings.CAS_EDUCONNECT_RATELIMIT_BACKEND = request.param
    settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS = {}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


def limit(n: int = 3, window: int = 60, key: str = "k") -> Limit:
    return Limit("test", key, FixedWindow(n, window))


def test_fixed_window_allows_the_limit_then_refuses_until_the_window_ends(backend):
    with freeze_time(T0) as clock:
        results = [limit().hit() for _ in range(5)]
        assert [r.allowed for r in results] == [True, True, True, False, False]
        assert [r.count for r in results] == [1, 2, 3, 3, 3]  # a refused hit is not counted
        assert [r.remaining for r in results[:3]] == [2, 1, 0]
        assert results[3].retry_at == T0 + datetime.timedelta(seconds=60)
        clock.tick(59)
        assert not limit().hit().allowed
        clock.tick(1)
        fresh = limit().hit()
        assert fresh.allowed and fresh.count == 1
        assert fresh.retry_at == T0 + datetime.timedelta(seconds=120)


def test_keys_and_scopes_are_counted_apart(backend):
    with freeze_time(T0):
        assert limit(1, key="a").hit().allowed
        assert limit(1, key="b").hit().allowed
        assert Limit("other", "a", FixedWindow(1, 60)).hit().allowed
        assert not limit(1, key="a").hit().allowed


def test_peek_counts_nothing(backend):
    with freeze_time(T0):
        assert limit().peek().count == 0 and limit().peek().allowed
        limit().hit()
        seen = limit().peek()
        assert seen.count == 1 and seen.allowed and seen.retry_at == T0 + datetime.timedelta(seconds=60)
        assert limit().peek().count == 1
        limit().hit(), limit().hit()
        assert not limit().peek().allowed and limit().peek().count == 3


def test_refund_gives_back_one_hit_and_never_goes_below_zero(backend):
    with freeze_time(T0):
        for _ in range(3):
            limit().hit()
        limit().refund()
        assert limit().peek().count == 2 and limit().hit().allowed
        for _ in range(5):
            limit().refund()
        assert limit().peek().count == 0
        assert limit().hit().count == 1


def test_reset_forgets_the_counter(backend):
    with freeze_time(T0):
        for _ in range(4):
            limit().hit()
        limit().reset()
        assert limit().peek().count == 0 and limit().hit().count == 1


def test_a_disabled_limit_counts_nothing(backend):
    assert all(limit(0).hit().allowed for _ in range(5))
    assert limit(0).peek().count == 0


def test_hit_all_refunds_the_others_when_one_refuses(backend):
    with freeze_time(T0):
        tight, loose = limit(1, key="tight"), limit(5, key="loose")
        assert hit_all([loose, tight]) == []
        refused = hit_all([loose, tight])
        assert [r.scope for r in refused] == ["test"] and not refused[0].allowed
        assert loose.peek().count == 1  # the refused action did not use the loose cap


def test_backoff_locks_after_the_free_hits_with_a_doubling_delay(backend):
    throttle = Limit("test", "k", Backoff("test", free=2, factor=1, max_delay=60, window=3600))
    with freeze_time(T0) as clock:
        assert throttle.hit().allowed and throttle.hit().allowed  # free
        third = throttle.hit()
        assert third.allowed and third.retry_at == T0 + datetime.timedelta(seconds=1)  # takes a 1 s lock
        refused = throttle.hit()
        assert not refused.allowed and refused.count == 3 and refused.retry_at == third.retry_at
        assert not throttle.peek().allowed
        clock.tick(1)
        assert throttle.peek().allowed
        fourth = throttle.hit()
        assert fourth.allowed and fourth.count == 4 and fourth.retry_at == T0 + datetime.timedelta(seconds=3)
        clock.tick(1)
        assert not throttle.hit().allowed
        throttle.refund()  # the allowed fourth hit was a success after all: its lock goes too
        assert throttle.peek().allowed and throttle.peek().count == 3
        throttle.reset()
        assert throttle.peek().count == 0 and throttle.hit().allowed


def test_backoff_delay_is_capped():
    policy = Backoff("x", free=1, factor=2, max_delay=10)
    assert [policy.delay(n) for n in range(6)] == [0, 0, 2, 4, 8, 10]


def test_storage_keys_are_keyed_hashes(backend):
    secret = "+33612345678"
    name = storage_key("sms_number", secret)
    assert secret not in name and "sms_number" not in name and "33612" not in name
    assert name == storage_key("sms_number", secret) != storage_key("sms_ip", secret)
    with freeze_time(T0):
        Limit("sms_number", secret, FixedWindow(3, 60)).hit()
        if backend == DATABASE:
            assert list(RateLimitCounter.objects.values_list("key", flat=True)) == [name]
        else:
            assert CacheBackend().get(name)[0] == 1


def test_each_scope_can_name_its_backend(settings, db):
    settings.CAS_EDUCONNECT_RATELIMIT_BACKEND = CACHE
    settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS = {"kept": DATABASE}
    Limit("kept", "k", FixedWindow(3, 60)).hit()
    Limit("volatile", "k", FixedWindow(3, 60)).hit()
    assert RateLimitCounter.objects.count() == 1
    assert RateLimitCounter.objects.get().key == storage_key("kept", "k")


# --- atomicity ------------------------------------------------------------------------------


THREADS, LIMIT = 16, 4


def _parallel_hits(make) -> list[bool]:
    barrier = threading.Barrier(THREADS)

    def run(_):
        barrier.wait(timeout=30)
        try:
            return make().hit().allowed
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


@pytest.mark.postgres
@pytest.mark.skipif(
    not ON_POSTGRES, reason="needs DATABASE_URL=postgres://... (CI runs it): SQLite serialises writers, no race to show"
)
def test_parallel_hits_on_postgresql_pass_exactly_the_limit(transactional_db, settings):
    assert connection.vendor == "postgresql"
    settings.CAS_EDUCONNECT_RATELIMIT_BACKEND = DATABASE
    for _ in range(5):
        key = uuid.uuid4().hex
        results = _parallel_hits(lambda key=key: Limit("race", key, FixedWindow(LIMIT, 60)))
        assert sum(results) == LIMIT
        assert Limit("race", key, FixedWindow(LIMIT, 60)).peek().count == LIMIT


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_parallel_hits_on_redis_pass_exactly_the_limit(settings):
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "race": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/11"},
    }
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE = "race"
    settings.CAS_EDUCONNECT_RATELIMIT_BACKEND = CACHE
    settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS = {}
    settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK = ""  # Redis alone
    for _ in range(5):
        key = uuid.uuid4().hex
        results = _parallel_hits(lambda key=key: Limit("race", key, FixedWindow(LIMIT, 60)))
        assert sum(results) == LIMIT
        backoff = [Limit("race-lock", key, Backoff("race-lock", free=0, factor=60, max_delay=60, window=60))]
        assert sum(_parallel_hits(lambda b=backoff: b[0])) == 1  # one attempt takes the lock, the rest wait
        Limit("race", key, FixedWindow(LIMIT, 60)).reset()
        backoff[0].reset()


@pytest.mark.parametrize(
    ("now", "until", "expected"),
    [
        ("2026-03-02 20:27:10", "2026-03-02 20:27:30", "20:28"),  # during 20:27 → after 20:28 (rounded up)
        ("2026-03-02 20:27:10", "2026-03-02 20:28:00", "20:28"),  # a whole minute stays
        ("2026-03-02 21:04:00", "2026-03-03 21:03:00", "le 03/03/2026 à 21:03"),  # tomorrow: dated
        ("2026-03-02 23:59:30", "2026-03-02 23:59:40", "le 03/03/2026 à 00:00"),  # rounding crosses midnight
    ],
)
def test_lock_message_time_rounds_up_and_dates_another_day(settings, now, until, expected):
    settings.TIME_ZONE = "Europe/Paris"
    tz = ZoneInfo("Europe/Paris")
    with freeze_time(datetime.datetime.fromisoformat(now).replace(tzinfo=tz)), translation.override("fr"):
        assert lock_message_time(datetime.datetime.fromisoformat(until).replace(tzinfo=tz)) == expected


def test_one_retry_time_helper_for_every_message():
    """The SMS limits use the same « Réessayez après … » helper as the other locks."""
    assert sms_services.lock_message_time is lock_message_time


# --- the cache is down ----------------------------------------------------------------------

#: Caches on a closed port: Django's own Redis client raises, django-redis (IGNORE_EXCEPTIONS) answers None.
DOWN = {
    "raising": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    "ignoring": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
    },
}


@pytest.fixture(params=sorted(DOWN))
def cache_down(request, settings, db):
    settings.CACHES = {"default": settings.CACHES["default"], "down": DOWN[request.param]}
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE = "down"
    settings.CAS_EDUCONNECT_RATELIMIT_BACKEND = CACHE
    settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS = {}
    return request.param


def test_a_cache_outage_counts_in_the_database(cache_down):
    with freeze_time(T0):
        assert [limit(2).hit().allowed for _ in range(3)] == [True, True, False]
        assert RateLimitCounter.objects.get().count == 2
        limit(2).refund()
        assert RateLimitCounter.objects.get().count == 1
        limit(2).reset()
        assert not RateLimitCounter.objects.exists()


def test_a_cache_outage_can_fail_closed(cache_down, settings):
    settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK = "cas_educonnect.core.ratelimit.backends.RefusingBackend"
    with freeze_time(T0):
        assert not limit(2).hit().allowed
        assert not Limit("lock", "k", Backoff("lock", free=3, factor=1, max_delay=60, window=60)).hit().allowed
    assert not RateLimitCounter.objects.exists()


def test_the_security_counters_never_depend_on_the_cache(settings, db):
    """The login locks, birth dates and SMS counters are in PostgreSQL by default: a Redis restart frees nobody."""
    settings.CACHES = {"default": settings.CACHES["default"], "down": DOWN["raising"]}
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE = "down"
    settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK = ""  # any use of the cache would raise
    from cas_educonnect.core.ratelimit import admin_login_throttles, login_throttles, throttle

    request = type("Request", (), {"META": {"REMOTE_ADDR": "192.0.2.1"}})()
    for limit_ in [*login_throttles("x", request), *admin_login_throttles("x", request), throttle("birth_date", "1")]:
        assert limit_.hit().allowed
    assert RateLimitCounter.objects.count() == 7
