"""Fixed-window rate counters shared by every worker (rows locked with ``select_for_update``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cas_educonnect.routes.sms.models import RateCounter


@dataclass(frozen=True)
class Hit:
    """Result of :func:`hit`: whether the event is allowed, and when the window reopens if not."""

    allowed: bool
    retry_at: datetime.datetime | None = None


def hit(key: str, limit: int, window: int) -> Hit:
    """Count one event under ``key`` unless ``limit`` events already happened in the window.

    ``limit`` <= 0 disables the limit (nothing is counted).
    """
    if limit <= 0:
        return Hit(True)
    now = timezone.now()
    with transaction.atomic():
        counter, _created = RateCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"window_start": now, "count": 0}
        )
        if counter.window_start + datetime.timedelta(seconds=window) <= now:
            counter.window_start, counter.count = now, 0
        if counter.count >= limit:
            return Hit(False, counter.window_start + datetime.timedelta(seconds=window))
        counter.count += 1
        counter.save(update_fields=["window_start", "count"])
    return Hit(True)


def refund(key: str) -> None:
    """Give back one event counted by :func:`hit` (the action it allowed did not happen)."""
    RateCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def peek(key: str, window: int) -> int:
    """Events counted under ``key`` in its current window (for pages and tests)."""
    counter = RateCounter.objects.filter(key=key).first()
    if counter is None or counter.window_start + datetime.timedelta(seconds=window) <= timezone.now():
        return 0
    return counter.count
