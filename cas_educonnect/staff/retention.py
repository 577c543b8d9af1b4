"""How long the per-login route records (``RouteLogin``) are kept: they say who logged in when.

They exist for the staff statistics ("routes used", per month), not as an access log, so
``manage.py educonnect_purge`` deletes them after ``CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS``.
The cut falls on the first day of a month (local time): a row is kept at least that many
days, and the oldest month the statistics show is always complete, never half purged.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..conf import settings
from .models import RouteLogin


def route_logins_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Rows opened before this moment are past their retention."""
    limit = timezone.localtime(now or timezone.now()) - datetime.timedelta(
        days=settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS
    )
    return limit.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def purge_route_logins(*, dry_run: bool = False, now: datetime.datetime | None = None) -> int:
    """Delete (or only count, with ``dry_run``) the rows past their retention; returns how many."""
    expired = RouteLogin.objects.filter(at__lt=route_logins_cutoff(now))
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted
