"""ServicePatterns kept in memory between requests, for ``ServicePattern.validate``.

The host looks the patterns up on every ticket: ``validate()`` reads them all, then the
ticket reads the pattern's filters, attribute names and value rewrites, four queries for
rows an operator changes a few times a year. Here each process keeps the ordered patterns
with those three rule lists prefetched (and their ServiceProfile) in a :class:`~cas_educonnect.core.memo.SharedMemo`:
any save or delete of a pattern or one of its rules writes a new shared version, seen at once
by the process that made it and within a second by every other one sharing the cache; the
memo is never older than ``CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS`` (the bound for
writes that send no signal), ``0`` turning it off: every call reads the database, as the host
does.
"""

from __future__ import annotations

import re

from cas_server import models
from cas_server.models import ServicePattern
from django.db.models.signals import post_delete, post_save

from cas_educonnect.conf import settings
from cas_educonnect.core.memo import VERSION_CHECK_SECONDS, SharedMemo

__all__ = ["VERSION_CHECK_SECONDS", "VERSION_KEY", "connect", "invalidate", "service_patterns", "validate"]

VERSION_KEY = "cas_educonnect:service-patterns:version"


def _load() -> list:

    # With its profile (cas_educonnect.ServiceProfile, named here only: host sits below the
    # models): the access rules read its audience and SIECLE module at every ticket.
    patterns = ServicePattern.objects.order_by("pos").select_related("educonnect")
    return list(patterns.prefetch_related("filters", "attributs", "replacements"))


memo: SharedMemo[list] = SharedMemo(VERSION_KEY, _load, lambda: settings.CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS)


def service_patterns() -> list:
    """Every ServicePattern by ``pos``, their filters, attribute names and rewrites prefetched."""
    return memo.get()


def validate(cls, service: str):
    """``ServicePattern.validate``: the first pattern (by ``pos``) matching ``service``."""
    for pattern in service_patterns():
        if re.match(pattern.pattern, service):
            return pattern
    raise cls.DoesNotExist()


def invalidate(**kwargs) -> None:
    """Forget the memo here and, through a new shared version, in every other process."""
    memo.invalidate()


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
