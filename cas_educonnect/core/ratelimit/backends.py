"""Counter storage for the limiter: the Django cache, or a database table.

The cache suits counters that may be lost (login throttling: Redis in production, where
``incr`` is ``INCR``). The database keeps counters that must survive a cache restart (SMS
sends cost money): one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` per hit, atomic on
PostgreSQL and SQLite alike, in the ``cas_educonnect.RateLimitCounter`` table (found through
the app registry, so this module imports no model).
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.db.models import F

from cas_educonnect.conf import settings
from cas_educonnect.core.ratelimit.base import Backend, now


class CacheBackend(Backend):
    """Counters in the Django cache ``CAS_EDUCONNECT_ATEN_THROTTLE_CACHE`` (``add`` + ``incr``).

    The window end is kept beside the count (``<key>:end``) for ``retry_at``; the count's own
    expiry is the cache timeout, so an expired counter simply restarts.
    """

    def __init__(self, alias: str | None = None) -> None:
        self.cache = caches[alias or settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE]

    def incr(self, key: str, window: float, extend: bool = False) -> tuple[int, datetime.datetime]:
        timeout = max(1, math.ceil(window))
        end = now() + datetime.timedelta(seconds=timeout)
        opened = self.cache.add(key, 0, timeout=timeout)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add() and incr()
            opened = self.cache.add(key, 1, timeout=timeout)
            count = 1 if opened else self.cache.incr(key)
        if opened or extend or count == 1:
            # count == 1 without opening: Redis INCR re-created a key that had just expired,
            # without a timeout; give it one.
            self.cache.touch(key, timeout=timeout)
            self.cache.set(f"{key}:end", end.timestamp(), timeout=timeout)
            return count, end
        stamp = self.cache.get(f"{key}:end")
        return count, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else end

    def decr(self, key: str) -> None:
        try:
            if self.cache.decr(key) < 0:
                self.cache.incr(key)
        except ValueError:  # expired: nothing to give back
            pass

    def get(self, key: str) -> tuple[int, datetime.datetime | None]:
        values = self.cache.get_many([key, f"{key}:end"])
        count = int(values.get(key) or 0)
        if not count:
            return 0, None
        stamp = values.get(f"{key}:end")
        return count, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else None

    def delete(self, *keys: str) -> None:
        self.cache.delete_many([name for key in keys for name in (key, f"{key}:end")])


def _model() -> Any:
    return apps.get_model("cas_educonnect", "RateLimitCounter")


def _aware(value: Any) -> datetime.datetime:
    """A returned ``expires_at`` as an aware datetime (SQLite returns text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


class DatabaseBackend(Backend):
    """Counters as rows ``(key, count, expires_at)``, each hit one atomic upsert.

    Concurrent upserts of one key are serialised by the row (PostgreSQL locks the
    conflicting row, SQLite the database), and each gets the count its own update produced.
    Expired rows are reused by the next hit and deleted by ``educonnect_sms_purge``.
    """

    def incr(self, key: str, window: float, extend: bool = False) -> tuple[int, datetime.datetime]:
        model = _model()
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        key_c, count_c, exp_c = (quote(model._meta.get_field(name).column) for name in ("key", "count", "expires_at"))
        moment = now()
        current = connection.ops.adapt_datetimefield_value(moment)
        end = connection.ops.adapt_datetimefield_value(moment + datetime.timedelta(seconds=window))
        renew = f"{table}.{exp_c} <= %s" + (" OR 1 = 1" if extend else "")
        sql = (
            f"INSERT INTO {table} ({key_c}, {count_c}, {exp_c}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_c}) DO UPDATE SET "
            f"{count_c} = CASE WHEN {table}.{exp_c} <= %s THEN 1 ELSE {table}.{count_c} + 1 END, "
            f"{exp_c} = CASE WHEN {renew} THEN excluded.{exp_c} ELSE {table}.{exp_c} END "
            f"RETURNING {count_c}, {exp_c}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, end, current, current])
            count, expires_at = cursor.fetchone()
        return int(count), _aware(expires_at)

    def decr(self, key: str) -> None:
        _model().objects.filter(key=key, count__gt=0, expires_at__gt=now()).update(count=F("count") - 1)

    def get(self, key: str) -> tuple[int, datetime.datetime | None]:
        row = _model().objects.filter(key=key, expires_at__gt=now()).values_list("count", "expires_at").first()
        return (row[0], row[1]) if row else (0, None)

    def delete(self, *keys: str) -> None:
        _model().objects.filter(key__in=keys).delete()
