"""When the legacy route closes for a population (settings, overridden by LegacySunset rows)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.routes.legacy.base import SWITCHABLE
from cas_educonnect.routes.legacy.models import LegacySunset


def parse_day(value: object) -> datetime.date:
    """A sunset day from a setting value: a date, a datetime or ``YYYY-MM-DD``; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value.strip())
    raise ValueError(f"expected a date or YYYY-MM-DD, got {value!r}")


def closing_day(category: str) -> datetime.date | None:
    """First day the legacy route is closed for ``category``; None if it stays open."""
    if category not in SWITCHABLE:
        return None
    row = LegacySunset.objects.filter(category=category).values_list("closes_on", flat=True).first()
    if row is not None:
        return row
    value = settings.CAS_EDUCONNECT_LEGACY_SUNSET.get(category)
    return parse_day(value) if value else None


def is_closed(category: str, now: datetime.datetime | None = None) -> bool:
    """Whether a ``category`` person may no longer log in on the legacy route (local date)."""
    day = closing_day(category)
    if day is None:
        return False
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    return today >= day
