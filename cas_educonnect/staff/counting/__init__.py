"""Counting accesses to services (service tickets) for the statistics, cheaply.

``CAS_EDUCONNECT_COUNT_ACCESSES`` (on by default) switches counting; ``CAS_EDUCONNECT_ACCESS_COUNTER``
is the dotted path of the :class:`~cas_educonnect.staff.counting.base.AccessCounter`:
``redis.RedisCounter`` (default: one Redis round trip per process and second, flushed to PostgreSQL by
``educonnect_flush_accesses``), ``database.DatabaseCounter`` (one upsert per ticket) or
``base.NullCounter``.
"""

from __future__ import annotations

import functools

from django.utils.module_loading import import_string

from cas_educonnect.conf import settings
from cas_educonnect.staff.counting.base import AccessCounter


@functools.lru_cache(maxsize=4)
def _load(path: str) -> AccessCounter:
    return import_string(path)()


def get_counter(path: str | None = None) -> AccessCounter:
    """The configured counter, one instance per process (it keeps Redis's outage state)."""
    return _load(path or settings.CAS_EDUCONNECT_ACCESS_COUNTER)


def reset_counter(**kwargs) -> None:
    """``setting_changed`` receiver: a new counter for the new settings."""
    if kwargs.get("setting", "").startswith("CAS_EDUCONNECT_ACCESS_COUNTER"):
        _load.cache_clear()
