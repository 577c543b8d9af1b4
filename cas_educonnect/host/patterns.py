"""ServicePatterns kept in memory between requests, for ``ServicePattern.validate``.

The host looks the patterns up on every ticket: ``validate()`` reads them all, then the
ticket reads the pattern's filters, attribute names and value rewrites, four queries for
rows an operator changes a few times a year. Here each process keeps the ordered patterns
with those three rule lists prefetched (and their ServiceProfile), and reuses them while

* the *version* in the shared cache (Redis in production: every app server sees it) has not
  changed: any save or delete of a pattern or one of its rules writes a new version, read by
  each process at most once per :data:`VERSION_CHECK_SECONDS` (a cache round trip per
  ticket cost as much as a query under load), so an admin change reaches the process that
  made it at once and every other one within a second; and
* they are younger than ``CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS``, a bound for writes
  that send no signal (``QuerySet.update()``, raw SQL) and for per-process caches
  (``LocMemCache``), where a version written by one process is not seen by the others.

``0`` turns the memo off: every call reads the database, as the host does.
"""

from __future__ import annotations

import re
import time
from typing import NamedTuple

from cas_server import models
from cas_server.models import ServicePattern
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from cas_educonnect.conf import settings

VERSION_KEY = "cas_educonnect:service-patterns:version"
#: Seconds a process trusts the shared version it last read.
VERSION_CHECK_SECONDS = 1.0


class _Memo(NamedTuple):
    version: object
    loaded_at: float
    checked_at: float
    patterns: list


_memo: _Memo | None = None


def _load() -> list:

    # With its profile (cas_educonnect.ServiceProfile, named here only: host sits below the
    # models): the access rules read its audience and SIECLE module at every ticket.
    patterns = ServicePattern.objects.order_by("pos").select_related("educonnect")
    return list(patterns.prefetch_related("filters", "attributs", "replacements"))


def service_patterns() -> list:
    """Every ServicePattern by ``pos``, their filters, attribute names and rewrites prefetched."""
    global _memo
    max_age = settings.CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS
    if not max_age:
        return _load()
    now = time.monotonic()
    memo = _memo
    if memo is not None and now - memo.checked_at < VERSION_CHECK_SECONDS and now - memo.loaded_at < max_age:
        return memo.patterns
    version = cache.get(VERSION_KEY)
    if memo is None or memo.version != version or now - memo.loaded_at >= max_age:
        memo = _memo = _Memo(version, now, now, _load())
    else:
        _memo = memo._replace(checked_at=now)
    return memo.patterns


def validate(cls, service: str):
    """``ServicePattern.validate``: the first pattern (by ``pos``) matching ``service``."""
    for pattern in service_patterns():
        if re.match(pattern.pattern, service):
            return pattern
    raise cls.DoesNotExist()


def invalidate(**kwargs) -> None:
    """Forget the memo here and, through a new shared version, in every other process."""
    global _memo
    _memo = None
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def connect() -> None:
    """Forget the memo whenever a pattern or one of its rules is saved or deleted (idempotent).

    Called by :func:`.patches.install`, which replaces ``ServicePattern.validate`` by :func:`validate`.
    """

    for model in (
        models.ServicePattern,
        models.FilterAttributValue,
        models.ReplaceAttributName,
        models.ReplaceAttributValue,
        models.Username,
    ):
        for signal in (post_save, post_delete):
            signal.connect(invalidate, sender=model, dispatch_uid=f"cas_educonnect-patterns-{model.__name__}")
    for signal in (post_save, post_delete):  # lazy sender: the profile model sits above the host
        signal.connect(
            invalidate, sender="cas_educonnect.ServiceProfile", dispatch_uid="cas_educonnect-patterns-profile"
        )
