"""The SMS route's limits, on the shared limiter (``cas_educonnect.core.ratelimit``).

Code requests per number, per IP and for the whole academy (fixed windows from the SMS
settings; the academy's budget bounds what a distributed abuse costs), wrong codes per
challenge and wrong birth-date submissions per challenge. Their scopes are stored in the
database by default (``CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS``): a cache restart must not
hand out new SMS or new attempts.
"""

from __future__ import annotations

from typing import Any

from cas_educonnect.conf import settings
from cas_educonnect.core.ratelimit import FixedWindow, Limit

# Challenge counters outlive any challenge: a code is valid minutes, a registration half an hour.
CHALLENGE_WINDOW = 86400


def number_cap(number_hash: str) -> Limit:
    """Code requests for one phone number (known or not, so the cap reveals nothing)."""
    policy = FixedWindow(settings.CAS_EDUCONNECT_SMS_NUMBER_LIMIT, settings.CAS_EDUCONNECT_SMS_NUMBER_WINDOW)
    return Limit("sms_number", number_hash, policy)


def ip_cap(ip: str) -> Limit:
    """Code requests from one client address."""
    return Limit("sms_ip", ip, FixedWindow(settings.CAS_EDUCONNECT_SMS_IP_LIMIT, settings.CAS_EDUCONNECT_SMS_IP_WINDOW))


def code_attempts(public_id: Any) -> Limit:
    """Code tries of one challenge (the right one ends the challenge: it is used)."""
    policy = FixedWindow(settings.CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS, max(CHALLENGE_WINDOW, _horizon()))
    return Limit("sms_code", str(public_id), policy)


def birth_date_attempts(public_id: Any) -> Limit:
    """Birth-date submissions after the code; the right one is refunded."""
    policy = FixedWindow(settings.CAS_EDUCONNECT_SMS_BIRTH_DATE_MAX_ATTEMPTS, max(CHALLENGE_WINDOW, _horizon()))
    return Limit("sms_birth_date", str(public_id), policy)


def _horizon() -> int:
    return max(settings.CAS_EDUCONNECT_SMS_FLOW_TIMEOUT, settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY)


def budget(scope: str, academy: str) -> Limit:
    """The academy's code requests per hour (``sms_budget_hour``) or day (``sms_budget_day``)."""
    name, window = {"sms_budget_hour": ("HOUR", 3600), "sms_budget_day": ("DAY", 86400)}[scope]
    return Limit(scope, academy, FixedWindow(getattr(settings, f"CAS_EDUCONNECT_SMS_BUDGET_{name}"), window))


def budget_hour(academy: str) -> Limit:
    return budget("sms_budget_hour", academy)


def budget_day(academy: str) -> Limit:
    return budget("sms_budget_day", academy)


CAPS = {"sms_number": number_cap, "sms_ip": ip_cap, "sms_budget_hour": budget_hour, "sms_budget_day": budget_day}


def cap(scope: str, key: str) -> Limit:
    """The cap of ``scope`` (a key of ``CAPS``) for ``key``, e.g. to refund it later."""
    return CAPS[scope](key)


def dead(public_id: Any) -> bool:
    """Whether the challenge's wrong codes used up its attempts."""
    return not code_attempts(public_id).peek().allowed
