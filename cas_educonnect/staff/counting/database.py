"""The per-ticket counter: one upsert in PostgreSQL per ticket issued (and per school).

What counting cost before the Redis counter; kept for deployments without Redis and as
the Redis counter's fallback while Redis is out.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.db import DatabaseError, transaction

from cas_educonnect.conf import settings
from cas_educonnect.staff.counting.base import AccessCounter, add_counts, dimensions, split

logger = logging.getLogger(__name__)


def cached_dimensions(username: str) -> list[str]:
    """:func:`dimensions`, kept ``CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL`` seconds in Django's cache."""
    key = f"educonnect:access-dims:{username.lower()}"
    found = cache.get(key)
    if found is None:
        found = dimensions(username)
        cache.set(key, found, settings.CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL)
    return found


class DatabaseCounter(AccessCounter):
    def count(self, username: str, service_id: int, day: datetime.date, accesses: int = 1) -> None:
        try:
            with transaction.atomic():  # a savepoint: a failed write leaves the login's transaction usable
                add_counts([(day, *_row(d, service_id), accesses) for d in cached_dimensions(username)])
        except DatabaseError:
            logger.exception("Access not counted")


def _row(dimension: str, service_id: int) -> tuple:
    uai, category, mefstat = split(dimension)
    return uai, service_id, category, mefstat
