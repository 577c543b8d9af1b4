"""One rate limiter for the whole package: see ``base`` (contract), ``backends``, ``scopes``."""

from __future__ import annotations

from cas_educonnect.core.ratelimit.base import (
    Backend,
    Backoff,
    FixedWindow,
    Hit,
    Limit,
    hit_all,
    latest_retry,
    storage_key,
)
from cas_educonnect.core.ratelimit.scopes import (
    admin_login_throttles,
    lock_message_time,
    locked_error,
    login_succeeded,
    login_throttles,
    mail_allowed,
    mail_limit,
    throttle,
)

__all__ = [
    "admin_login_throttles",
    "Backend",
    "Backoff",
    "FixedWindow",
    "Hit",
    "Limit",
    "hit_all",
    "latest_retry",
    "lock_message_time",
    "locked_error",
    "login_succeeded",
    "login_throttles",
    "mail_allowed",
    "mail_limit",
    "storage_key",
    "throttle",
]
