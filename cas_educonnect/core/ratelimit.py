"""Failure throttling with counters in Django's cache, so every worker process shares them.

The contract is django-otp's ``ThrottlingMixin`` (``verify_is_allowed`` /
``throttle_increment`` / ``throttle_reset``), kept in the cache instead of model fields:
login identifiers need not exist (a counter per typed identifier answers the same whether
the account exists or not), and per-IP counters have no row to live on. ``cache.incr`` is
atomic on Redis and on the local-memory cache.

The delay is ``factor * 2**(n - free - 1)`` seconds after the n-th failure once ``free``
failures are used up, capped at ``CAS_EDUCONNECT_ATEN_THROTTLE_MAX_DELAY``.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone

from cas_educonnect.conf import settings


def _now() -> float:
    """Current time; a hook for tests (freezegun patches ``time.time``)."""
    return time.time()


class CacheThrottle:
    """Failure counter of one (scope, key), e.g. ("login_ip", "192.0.2.1").

    Scopes name their allowance in ``CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES``.
    Keys are hashed, so identifiers and addresses never appear in cache key names.
    """

    def __init__(self, scope: str, key: str) -> None:
        self.scope = scope
        digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
        self._count_key = f"educonnect:aten:throttle:{digest}:n"
        self._last_key = f"educonnect:aten:throttle:{digest}:t"

    @property
    def cache(self):
        return caches[settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE]

    @property
    def free(self) -> int:
        return int(settings.CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES.get(self.scope, 0))

    def failures(self) -> int:
        return int(self.cache.get(self._count_key) or 0)

    def delay(self, failures: int | None = None) -> float:
        """Seconds locked after the last failure, for ``failures`` failures."""
        factor = settings.CAS_EDUCONNECT_ATEN_THROTTLE_FACTOR
        n = self.failures() if failures is None else failures
        over = n - self.free
        if not factor or over <= 0:
            return 0.0
        return float(min(factor * 2 ** min(over - 1, 30), settings.CAS_EDUCONNECT_ATEN_THROTTLE_MAX_DELAY))

    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]:
        """``(True, None)``, or ``(False, {"reason": "locked", "locked_until": datetime})``."""
        n = self.failures()
        delay = self.delay(n)
        if not delay:
            return True, None
        last = self.cache.get(self._last_key)
        if last is None:
            return True, None
        until = float(last) + delay
        if _now() < until:
            return False, {"reason": "locked", "locked_until": datetime.datetime.fromtimestamp(until, tz=datetime.UTC)}
        return True, None

    def increment(self) -> int:
        """Record one failure; returns the new failure count."""
        window = settings.CAS_EDUCONNECT_ATEN_THROTTLE_WINDOW
        cache = self.cache
        cache.add(self._count_key, 0, timeout=window)
        try:
            n = cache.incr(self._count_key)
        except ValueError:  # expired between add() and incr()
            cache.set(self._count_key, 1, timeout=window)
            n = 1
        cache.touch(self._count_key, timeout=window)
        cache.set(self._last_key, _now(), timeout=window)
        return n

    def reset(self) -> None:
        """Forget the failures (after a success)."""
        self.cache.delete_many([self._count_key, self._last_key])


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address, from REMOTE_ADDR or the configured proxy header (rightmost value)."""
    if request is None:
        return None
    header = settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if parts:
            return parts[-1]
    return request.META.get("REMOTE_ADDR") or None


def first_lock(throttles: list[CacheThrottle]) -> datetime.datetime | None:
    """When the latest-ending lock among ``throttles`` ends, or None if none is locked."""
    until = None
    for throttle in throttles:
        allowed, info = throttle.verify_is_allowed()
        if not allowed and info is not None:
            until = max(until, info["locked_until"]) if until else info["locked_until"]
    return until


def lock_message_time(until: datetime.datetime) -> str:
    """The end of a lock as local HH:MM, for user messages."""
    return timezone.localtime(until).strftime("%H:%M")


def login_throttles(identifier: str, request: HttpRequest | None) -> list[CacheThrottle]:
    """The counters a password check by ``identifier`` from ``request`` is subject to."""
    throttles = [CacheThrottle("login_identifier", (identifier or "").strip().lower())]
    ip = client_ip(request)
    if ip:
        throttles.append(CacheThrottle("login_ip", ip))
    return throttles


class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for one (scope, key): emails sent.

    Fixed window started by the first hit (``cache.add``), counted with atomic ``incr``.
    Limits come from ``CAS_EDUCONNECT_ATEN_MAIL_RATE`` as ``{scope: (limit, window)}``.
    """

    def __init__(self, scope: str, key: str) -> None:
        self.scope = scope
        digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
        self._key = f"educonnect:aten:rate:{digest}"

    def hit(self) -> bool:
        """Count one hit; whether it is within the limit."""
        limit, window = settings.CAS_EDUCONNECT_ATEN_MAIL_RATE[self.scope]
        cache = caches[settings.CAS_EDUCONNECT_ATEN_THROTTLE_CACHE]
        cache.add(self._key, 0, timeout=window)
        try:
            n = cache.incr(self._key)
        except ValueError:
            cache.set(self._key, 1, timeout=window)
            n = 1
        return n <= limit


def mail_allowed(request: HttpRequest, target: str) -> bool:
    """Whether one more self-service email may go to ``target`` from this client."""
    ip = client_ip(request) or "-"
    by_target = RateLimit("target", target.strip().lower()).hit()
    by_ip = RateLimit("ip", ip).hit()
    return by_target and by_ip
