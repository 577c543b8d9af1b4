"""Counting accesses to services: one per service ticket issued by the CAS server.

Off by default (``CAS_EDUCONNECT_COUNT_ACCESSES``): it adds one write to every ticket
issuance, the login hot path. On PostgreSQL and SQLite that write is a single upsert.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.staff.models import RouteLogin, ServiceAccess


def count_access(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` receiver of ``cas_server.ServiceTicket``: one more access this month."""
    if not created or not settings.CAS_EDUCONNECT_COUNT_ACCESSES:
        return
    today = timezone.localdate()
    month = datetime.date(today.year, today.month, 1)
    # Keyed by account identifier (lowercase), like the statistics that join on it: a legacy
    # account's CAS user keeps its historical spelling.
    username, service_id = instance.user.username.lower(), instance.service_pattern_id
    if connection.vendor in ("postgresql", "sqlite"):
        table = connection.ops.quote_name(ServiceAccess._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (username, service_pattern_id, month, count) VALUES (%s, %s, %s, 1) "
                f"ON CONFLICT (username, service_pattern_id, month) DO UPDATE SET count = {table}.count + 1",
                [username, service_id, month],
            )
        return
    key = {"username": username, "service_pattern_id": service_id, "month": month}
    if ServiceAccess.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ServiceAccess.objects.create(**key, count=1)
    except IntegrityError:  # created concurrently
        ServiceAccess.objects.filter(**key).update(count=F("count") + 1)


def record_route(sender, username: str, route: str, **kwargs) -> None:
    """``host.login.sso_session_opened`` receiver: one row per login, with its route."""
    RouteLogin.objects.create(username=username.lower(), route=route)
