"""How long the staff statistics' raw records are kept: they say who logged in, or used a service, when.

``RouteLogin`` (one row per login, "routes used") and ``ServiceAccess`` (accesses per person,
service and month) exist for the staff statistics, not as an access log, so
``manage.py educonnect_purge`` deletes them after ``CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS`` and
``CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS``. The cut falls on the first day of a month (local
time): a row is kept at least that many days, and the oldest month the statistics show is always
complete, never half purged.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.staff.models import RouteLogin, ServiceAccess


def month_cutoff(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """First day of the month (local midnight) holding the moment ``days`` days before ``now``."""
    limit = timezone.localtime(now or timezone.now()) - datetime.timedelta(days=days)
    return limit.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def route_logins_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Logins before this moment are past their retention."""
    return month_cutoff(settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS, now)


def service_accesses_cutoff(now: datetime.datetime | None = None) -> datetime.date:
    """Access counts of months before this one are past their retention."""
    return month_cutoff(settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS, now).date()


def purge_before(model: type[models.Model], date_field: str, cutoff: datetime.date, *, dry_run: bool = False) -> int:
    """Delete (or only count, with ``dry_run``) ``model`` rows whose ``date_field`` is before ``cutoff``."""
    expired = model._default_manager.filter(**{f"{date_field}__lt": cutoff})
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted


def purge_route_logins(*, dry_run: bool = False, now: datetime.datetime | None = None) -> int:
    """Login-route rows past their retention, deleted (or counted); returns how many."""
    return purge_before(RouteLogin, "at", route_logins_cutoff(now), dry_run=dry_run)


def purge_service_accesses(*, dry_run: bool = False, now: datetime.datetime | None = None) -> int:
    """Monthly access counts past their retention, deleted (or counted); returns how many."""
    return purge_before(ServiceAccess, "month", service_accesses_cutoff(now), dry_run=dry_run)
