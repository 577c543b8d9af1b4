"""Counting accesses to services: one per service ticket issued by the CAS server.

Off by default (``CAS_EDUCONNECT_COUNT_ACCESSES``): it adds a write to ticket issuance, the
login hot path. On PostgreSQL and SQLite that write is a single upsert. With
``CAS_EDUCONNECT_COUNT_ACCESSES_FLUSH_SECONDS`` above 0 each process adds its counts up in
memory and writes them in one upsert for all its tickets of the last that many seconds
(written at the first ticket after that delay, and when the process exits normally): the
statistics lag by at most that delay, and a process killed outright loses that delay's counts.
"""

from __future__ import annotations

import atexit
import datetime
import threading
import time
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.staff.models import RouteLogin, ServiceAccess

Key = tuple[str, int, datetime.date]  # username (lowercase), service pattern id, first day of the month

_pending: Counter[Key] = Counter()
_lock = threading.Lock()
_last_write = [time.monotonic()]


def count_access(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` receiver of ``cas_server.ServiceTicket``: one more access this month."""
    if not created or not settings.CAS_EDUCONNECT_COUNT_ACCESSES:
        return
    today = timezone.localdate()
    # Keyed by account identifier (lowercase), like the statistics that join on it: a legacy
    # account's CAS user keeps its historical spelling.
    key = (instance.user.username.lower(), instance.service_pattern_id, datetime.date(today.year, today.month, 1))
    delay = settings.CAS_EDUCONNECT_COUNT_ACCESSES_FLUSH_SECONDS
    if not delay:
        write_counts(Counter([key]))
        return
    with _lock:
        _pending[key] += 1
        due = time.monotonic() - _last_write[0] >= delay
    if due:
        flush()


def flush() -> None:
    """Write the counts this process holds (nothing when it holds none)."""
    with _lock:
        counts = Counter(_pending)
        _pending.clear()
        _last_write[0] = time.monotonic()
    if counts:
        write_counts(counts)


def write_counts(counts: Counter[Key]) -> None:
    """Add ``counts`` to the stored ones: one upsert on PostgreSQL and SQLite."""
    keys = sorted(counts)  # the same order in every process: parallel upserts never deadlock
    if connection.vendor in ("postgresql", "sqlite"):
        table = connection.ops.quote_name(ServiceAccess._meta.db_table)
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (username, service_pattern_id, month, count) VALUES {rows} "
                "ON CONFLICT (username, service_pattern_id, month) "
                f"DO UPDATE SET count = {table}.count + excluded.count",
                [value for key in keys for value in (*key, counts[key])],
            )
        return
    for username, service_id, month in keys:
        key = {"username": username, "service_pattern_id": service_id, "month": month}
        if ServiceAccess.objects.filter(**key).update(count=F("count") + counts[username, service_id, month]):
            continue
        try:
            with transaction.atomic():
                ServiceAccess.objects.create(**key, count=counts[username, service_id, month])
        except IntegrityError:  # created concurrently
            ServiceAccess.objects.filter(**key).update(count=F("count") + counts[username, service_id, month])


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001 (the process is ending: nothing left to tell)
        pass


atexit.register(_flush_at_exit)


def record_route(sender, username: str, route: str, **kwargs) -> None:
    """``host.login.sso_session_opened`` receiver: one row per login, with its route."""
    RouteLogin.objects.create(username=username.lower(), route=route)
