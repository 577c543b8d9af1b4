"""Counting accesses to services: one per service ticket issued by the CAS server."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ServiceAccess


def count_access(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` receiver of ``cas_server.ServiceTicket``: one more access this month."""
    if not created:
        return
    today = timezone.localdate()
    key = {
        "username": instance.user.username,
        "service_pattern_id": instance.service_pattern_id,
        "month": datetime.date(today.year, today.month, 1),
    }
    if ServiceAccess.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ServiceAccess.objects.create(**key, count=1)
    except IntegrityError:  # created concurrently
        ServiceAccess.objects.filter(**key).update(count=F("count") + 1)
