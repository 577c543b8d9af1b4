#!/usr/bin/env python
"""Cost of counting accesses at ticket issuance, every way of counting in one run.

For one representative with 4 children in 2 schools (2 counts per ticket) and an open SSO
session, ITERATIONS times GET /cas/login?service= (a service ticket issued), in alternating
rounds of each mode:

- ``off``: no counting (``CAS_EDUCONNECT_COUNT_ACCESSES = False``);
- ``old``: the former per-person counting, one upsert into ``ServiceAccess`` per ticket;
- ``database``: ``DatabaseCounter``, one upsert per ticket and school into ``AccessCount``;
- ``redis``: ``RedisCounter``, its counts sent in one pipelined Lua call per process and second
  (``CAS_EDUCONNECT_ACCESS_COUNTER_BUFFER_SECONDS``; its flush not included: it runs apart);
- ``redis_down``: ``RedisCounter`` pointed at a port where nothing listens (the outage
  fallback: the database write, Redis left alone after the first failure).

    python bench/counting.py [ITERATIONS]     # default 600 per mode; BENCH_REDIS_URL (default
                                              # LIVE_REDIS_URL, else redis://127.0.0.1:6379/13,
                                              # the live tests' database)

Prints one figure per line: median milliseconds of wall time, then of this process's CPU
time, per issuance, and SQL queries of one warm issuance, per mode; then the counting alone
(the ticket's ``post_save`` receiver called directly, 4 x ITERATIONS times, no HTTP) in
microseconds of wall and CPU time, far less noisy than whole issuances; ``redis_unavailable 1``
(and no redis figure) without Redis.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from cas_server.models import ServiceTicket  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,  # noqa: E402
)
from django.utils import timezone  # noqa: E402

from bench.load import fixtures  # noqa: E402
from bench.sso import OURS_SERVICE, PASSWORD, issue, log_in  # noqa: E402

ROUNDS = 6
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get("LIVE_REDIS_URL") or "redis://127.0.0.1:6379/13"
PREFIX = f"educonnect-bench:{uuid.uuid4().hex}"
COUNTERS = "cas_educonnect.staff.counting"


def old_count_access(sender, instance, created: bool, **kwargs) -> None:
    """The former receiver: one upsert per ticket into the per-person, per-month table."""
    from cas_educonnect.staff.models import ServiceAccess

    if not created:
        return
    today = timezone.localdate()
    table = connection.ops.quote_name(ServiceAccess._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (username, service_pattern_id, month, count) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (username, service_pattern_id, month) DO UPDATE SET count = {table}.count + 1",
            [instance.user.username.lower(), instance.service_pattern_id, datetime.date(today.year, today.month, 1)],
        )


MODES = {
    "off": {"CAS_EDUCONNECT_COUNT_ACCESSES": False},
    "old": {"CAS_EDUCONNECT_COUNT_ACCESSES": False},  # plus old_count_access
    "database": {"CAS_EDUCONNECT_ACCESS_COUNTER": f"{COUNTERS}.database.DatabaseCounter"},
    "redis": {"CAS_EDUCONNECT_ACCESS_COUNTER": f"{COUNTERS}.redis.RedisCounter"},
    "redis_down": {
        "CAS_EDUCONNECT_ACCESS_COUNTER": f"{COUNTERS}.redis.RedisCounter",
        "CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL": "redis://127.0.0.1:1/0",
    },
}


class Mode:
    def __init__(self, name: str) -> None:
        values = {
            "CAS_EDUCONNECT_COUNT_ACCESSES": True,
            "CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL": REDIS_URL,
            "CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX": PREFIX,
            **MODES[name],
        }
        self.name, self.override = name, override_settings(**values)

    def __enter__(self):
        self.override.enable()
        if self.name == "old":
            post_save.connect(old_count_access, sender=ServiceTicket, dispatch_uid="bench_old_count")

    def __exit__(self, *exc):
        post_save.disconnect(sender=ServiceTicket, dispatch_uid="bench_old_count")
        self.override.disable()


def ms_per_issuance(client: Client, iterations: int) -> tuple[float, float]:
    """Wall and CPU (this process) milliseconds per issuance; CPU barely moves with others' load."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        issue(client, OURS_SERVICE)
    return (time.perf_counter() - start) * 1000 / iterations, (time.process_time() - cpu) * 1000 / iterations


def counting_us(name: str, ticket: ServiceTicket, calls: int) -> tuple[float, float]:
    """Wall and CPU microseconds of the post_save receiver alone, ``calls`` times (no HTTP)."""
    from cas_educonnect.staff.access import count_access

    receiver = old_count_access if name == "old" else count_access
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        receiver(ServiceTicket, ticket, True)
    return (time.perf_counter() - start) * 1e6 / calls, (time.process_time() - cpu) * 1e6 / calls


def run(iterations: int) -> None:
    modes = list(MODES)
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        modes.remove("redis")
        print("redis_unavailable 1")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        username = fixtures.our_users(1, make_password(PASSWORD), [OURS_SERVICE])[0]
        client = Client()
        log_in(client, username, OURS_SERVICE)
        queries = {}
        for name in modes:
            with Mode(name):
                issue(client, OURS_SERVICE)  # warm: dimensions cached, Redis script loaded
                with CaptureQueriesContext(connection) as captured:
                    issue(client, OURS_SERVICE)
                queries[name] = len(captured)
        rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
        for _ in range(ROUNDS):
            for name in modes:
                with Mode(name):
                    rounds[name].append(ms_per_issuance(client, max(1, iterations // ROUNDS)))
        ticket = ServiceTicket.objects.filter(user__username=username).select_related("user").last()
        receiver: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
        for _ in range(ROUNDS):
            for name in modes:
                with Mode(name):
                    receiver[name].append(counting_us(name, ticket, max(1, 4 * iterations // ROUNDS)))
    print(f"database {connection.vendor}")
    print(f"iterations {iterations}")
    for name in modes:
        print(f"issuance_ms_{name} {statistics.median(wall for wall, _cpu in rounds[name]):.3f}")
    for name in modes:
        print(f"issuance_cpu_ms_{name} {statistics.median(cpu for _wall, cpu in rounds[name]):.3f}")
    for name in modes:
        print(f"issuance_queries_{name} {queries[name]}")
    for name in modes:
        print(f"counting_us_{name} {statistics.median(wall for wall, _cpu in receiver[name]):.1f}")
    for name in modes:
        print(f"counting_cpu_us_{name} {statistics.median(cpu for _wall, cpu in receiver[name]):.1f}")


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        run(iterations)
    finally:
        teardown_databases(databases, verbosity=0)
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
        try:
            for key in client.scan_iter(match=f"{PREFIX}:*"):
                client.delete(key)
        except redis.RedisError:
            pass


if __name__ == "__main__":
    main()
