"""Parallel requests cannot race the counters (PostgreSQL, row locks under transaction.atomic)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cas_educonnect.models import RateLimitCounter
from cas_educonnect.routes.sms import counters, services
from cas_educonnect.routes.sms.models import CodeChallenge

from .conftest import MOBILE, last_code

WORKERS = 8

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://... (CI runs it): SQLite serialises writers, no race to show",
    ),
]


def in_parallel(function, arguments):
    """Run ``function`` on each argument in its own thread, all released together."""
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        barrier.wait(timeout=30)
        try:
            return function(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))


def test_a_code_verifies_once_under_parallel_tries(transactional_db, sms_locmem):
    assert connection.vendor == "postgresql"
    for _ in range(10):
        challenge = services.start_challenge("race", MOBILE, [1])
        code = last_code(sms_locmem)
        results = in_parallel(lambda c, pid=challenge.public_id: services.verify_code(pid, c), [code] * WORKERS)
        assert sum(r.ok for r in results) == 1
        assert sorted(r.reason for r in results if not r.ok) == ["used"] * (WORKERS - 1)
        CodeChallenge.objects.all().delete()
        RateLimitCounter.objects.all().delete()  # 10 rounds on one number: reset its daily cap


def test_parallel_wrong_codes_are_all_counted(transactional_db, sms_locmem):
    challenge = services.start_challenge("race", MOBILE, [1])
    code = last_code(sms_locmem)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    results = in_parallel(lambda c: services.verify_code(challenge.public_id, c), [wrong] * WORKERS)
    assert counters.code_attempts(challenge.public_id).peek().count == 5
    assert sorted(r.remaining for r in results if r.reason == "invalid") == [1, 2, 3, 4]
    assert sum(r.reason == "locked" for r in results) == WORKERS - 4


def test_parallel_requests_respect_the_daily_cap(transactional_db, sms_locmem):
    def ask(_):
        try:
            services.start_challenge("race", MOBILE, [1])
        except services.CodeThrottled:
            return False
        return True

    results = in_parallel(ask, list(range(WORKERS)))
    assert sum(results) == 3 and len(sms_locmem) == 3
