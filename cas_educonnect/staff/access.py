"""Counting accesses to services (one per service ticket) and the route of each login.

Counting is on by default (``CAS_EDUCONNECT_COUNT_ACCESSES``): the counter of
``CAS_EDUCONNECT_ACCESS_COUNTER`` (``staff.counting``) adds to ticket issuance, the login
hot path, one Redis round trip per process and second, and never makes it fail.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.staff.counting import get_counter, reset_counter
from cas_educonnect.staff.models import RouteLogin

logger = logging.getLogger(__name__)

__all__ = ["count_access", "record_route", "reset_counter"]


def count_access(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` receiver of ``cas_server.ServiceTicket``: one more access today."""
    if not created or not settings.CAS_EDUCONNECT_COUNT_ACCESSES:
        return
    try:
        get_counter().count(instance.user.username, instance.service_pattern_id or 0, timezone.localdate())
    except Exception:  # a statistic never fails a login
        logger.exception("Access not counted")


def record_route(sender, username: str, route: str, **kwargs) -> None:
    """``host.login.sso_session_opened`` receiver: one row per login, with its route."""
    RouteLogin.objects.create(username=username.lower(), route=route)
