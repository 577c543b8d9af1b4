"""Counter storage for the limiter: the Django cache, or a database table.

The cache suits counters that may be lost (self-service email caps: Redis in production,
where ``incr`` is ``INCR``). The database keeps counters that must survive a cache restart
or outage (the login lock, birth dates, SMS sends: they cost money): one ``INSERT ... ON
CONFLICT DO UPDATE ... RETURNING`` per hit, atomic on PostgreSQL and SQLite alike, in the
``cas_educonnect.RateLimitCounter`` table (found through the app registry, so this module
imports no model).

While the cache is unreachable, :class:`CacheBackend` hands each operation to
``CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK``: the database (default; counting restarts there
for the outage) or :class:`RefusingBackend` (fail closed: every hit refused).
"""

from __future__ import annotations

import datetime
import functools
import logging
import math
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.utils.module_loading import import_string

from cas_educonnect.conf import settings
from cas_educonnect.core import db
from cas_educonnect.core.ratelimit.base import Backend, now

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The cache did not answer (raised, or answered ``None`` where a count was due)."""


def _or_fallback(method: Callable) -> Callable:
    """Run ``method`` on the cache; on a cache failure, the same call on the fallback backend."""

    @functools.wraps(method)
    def wrapper(self: CacheBackend, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ValueError:  # the cache's "no such key", handled by the methods themselves
            raise
        except Exception as exc:  # noqa: BLE001 (any client error: connection, timeout, protocol)
            fallback = settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK
            if not fallback:
                raise
            logger.warning("rate-limit cache unavailable (%s), using %s", exc.__class__.__name__, fallback)
            return getattr(import_string(fallback)(), method.__name__)(*args, **kwargs)

    return wrapper


def _count(value: Any) -> int:
    # django-redis with IGNORE_EXCEPTIONS answers None instead of raising: not a count.
    if value is None:
        raise CacheUnavailable
    return int(value)


class CacheBackend(Backend):
    """Counters in the Django cache ``CAS_EDUCONNECT_ATEN_THROTTLE_CACHE`` (``add`` + ``incr``).

    The window end is kept beside the count (``<key>:end``) for ``retry_at``; the count's own
    expiry is the cache timeout, so an expired counter simply restarts. A hit while the cache
    fails goes to ``CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK`` (``""``: the error propagates).
    """

    def __init__(self, alias: str | None = None) -> None:
        self.cache = caches[alias or settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE]

    @_or_fallback
    def incr(self, key: str, window: float, extend: bool = False) -> tuple[int, datetime.datetime]:
        timeout = max(1, math.ceil(window))
        end = now() + datetime.timedelta(seconds=timeout)
        opened = self.cache.add(key, 0, timeout=timeout)
        try:
            count = _count(self.cache.incr(key))
        except ValueError:  # expired between add() and incr()
            opened = self.cache.add(key, 1, timeout=timeout)
            count = 1 if opened else _count(self.cache.incr(key))
        if opened or extend or count == 1:
            # count == 1 without opening: Redis INCR re-created a key that had just expired,
            # without a timeout; give it one.
            self.cache.touch(key, timeout=timeout)
            self.cache.set(f"{key}:end", end.timestamp(), timeout=timeout)
            return count, end
        stamp = self.cache.get(f"{key}:end")
        return count, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else end

    @_or_fallback
    def decr(self, key: str) -> None:
        try:
            if _count(self.cache.decr(key)) < 0:
                self.cache.incr(key)
        except ValueError:  # expired: nothing to give back
            pass

    @_or_fallback
    def get(self, key: str) -> tuple[int, datetime.datetime | None]:
        values = self.cache.get_many([key, f"{key}:end"])
        count = int(values.get(key) or 0)
        if not count:
            return 0, None
        stamp = values.get(f"{key}:end")
        return count, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC) if stamp else None

    @_or_fallback
    def delete(self, *keys: str) -> None:
        self.cache.delete_many([name for key in keys for name in (key, f"{key}:end")])
        # A counter may have gone on in the fallback during an outage, and a client that
        # ignores cache errors never says a delete failed: a reset forgets both.
        fallback = settings.CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK
        if fallback:
            import_string(fallback)().delete(*keys)


class RefusingBackend(Backend):
    """Fail closed: every counter is over any limit for a minute, nothing is stored.

    The fallback of a cache whose counters must never restart from zero during an outage
    (``CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK``): the actions they guard are refused meanwhile.
    """

    FULL = 2**31

    def incr(self, key: str, window: float, extend: bool = False) -> tuple[int, datetime.datetime]:
        return self.FULL, now() + datetime.timedelta(seconds=60)

    def decr(self, key: str) -> None:
        pass

    def get(self, key: str) -> tuple[int, datetime.datetime | None]:
        return self.FULL, now() + datetime.timedelta(seconds=60)

    def delete(self, *keys: str) -> None:
        pass


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
        db.delete(_model().objects.filter(key__in=keys))  # nothing points at a counter
