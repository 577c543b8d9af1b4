"""The limiter contract: per (scope, key) counters that are incremented first, then decided on.

``Limit(scope, key, policy).hit()`` increments the counter in its backend and decides from
the count the backend returned, in one atomic step of the store (Redis ``INCR``, one SQL
upsert): N parallel attempts can never all read "below the limit" and all pass. A refused
hit gives its unit back, so the count is the number of actions that were let through.
``reset()`` forgets everything (after a success), ``refund()`` gives back one allowed hit
whose action did not happen, ``peek()`` answers without counting (pages, tests).

Two policies share that contract: :class:`FixedWindow` (at most ``limit`` hits per window
started by the first hit) and :class:`Backoff` (``free`` failures, then each further one
locks the key for ``factor * 2**(n - free - 1)`` seconds, capped). Storage is pluggable
(``backends.py``); key names are keyed hashes, never identifiers, numbers or addresses.
"""

from __future__ import annotations

import abc
import datetime
import math
from dataclasses import dataclass, replace
from functools import lru_cache

from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from cas_educonnect.conf import DEFAULTS, settings


@dataclass(frozen=True)
class Hit:
    """What a hit or a peek found: allowed or not, the count, and when a refusal ends."""

    allowed: bool
    count: int
    limit: int = 0
    retry_at: datetime.datetime | None = None
    scope: str = ""

    @property
    def remaining(self) -> int:
        """Hits still allowed in the window (fixed windows; 0 for backoff)."""
        return max(0, self.limit - self.count)


class Backend(abc.ABC):
    """Storage of counters: each operation is atomic in the store, shared by every worker."""

    @abc.abstractmethod
    def incr(self, key: str, window: float, extend: bool = False) -> tuple[int, datetime.datetime]:
        """Add one to ``key`` and return ``(count, window end)``.

        An expired (or absent) counter restarts at 1 with a window of ``window`` seconds;
        ``extend`` restarts the window at every hit (forgotten ``window`` after the last one).
        """

    @abc.abstractmethod
    def decr(self, key: str) -> None:
        """Take one from ``key`` if it is above 0 (never below 0, never creates it)."""

    @abc.abstractmethod
    def get(self, key: str) -> tuple[int, datetime.datetime | None]:
        """``(count, window end)``, ``(0, None)`` once expired or absent."""

    @abc.abstractmethod
    def delete(self, *keys: str) -> None:
        """Forget these counters."""


@lru_cache(maxsize=16)
def _backend_class(path: str) -> type[Backend]:
    return import_string(path)


def backend_for(scope: str) -> Backend:
    """The backend of ``scope``: ``CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS``, else the default."""
    path = settings.CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS.get(scope) or settings.CAS_EDUCONNECT_RATELIMIT_BACKEND
    return _backend_class(path)()


def storage_key(scope: str, key: str) -> str:
    """The name a (scope, key) is stored under: a keyed hash, so storage never shows the key."""
    digest = salted_hmac("cas_educonnect.ratelimit", f"{scope}:{key}", algorithm="sha256").hexdigest()
    return f"educonnect:rl:{digest[:40]}"


def now() -> datetime.datetime:
    """Current time (freezegun-friendly)."""
    return datetime.datetime.now(tz=datetime.UTC)


class Policy(abc.ABC):
    """How counts turn into decisions; stores nothing itself."""

    @abc.abstractmethod
    def hit(self, backend: Backend, key: str) -> Hit: ...

    @abc.abstractmethod
    def peek(self, backend: Backend, key: str) -> Hit: ...

    @abc.abstractmethod
    def refund(self, backend: Backend, key: str, hit: Hit | None = None) -> None:
        """Give back one allowed hit (``hit``, when known, is what that hit returned)."""

    def keys(self, key: str) -> list[str]:
        """Every storage key the policy uses for ``key`` (for reset)."""
        return [key]


class FixedWindow(Policy):
    """At most ``limit`` hits per ``window`` seconds, the window opened by the first hit.

    ``limit`` <= 0 disables the limit (nothing is counted).
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = int(limit), window

    def hit(self, backend: Backend, key: str) -> Hit:
        if self.limit <= 0:
            return Hit(True, 0)
        count, end = backend.incr(key, self.window)
        if count <= self.limit:
            return Hit(True, count, self.limit, end)
        backend.decr(key)  # refused: the action does not happen, its unit goes back
        return Hit(False, self.limit, self.limit, end)

    def peek(self, backend: Backend, key: str) -> Hit:
        count, end = backend.get(key)
        return Hit(self.limit <= 0 or count < self.limit, count, self.limit, end)

    def refund(self, backend: Backend, key: str, hit: Hit | None = None) -> None:
        if self.limit > 0:
            backend.decr(key)


class Backoff(Policy):
    """Progressive lock: ``free`` hits, then each one locks the key for a doubling delay.

    The n-th hit past the free ones takes a lock lasting ``delay(n)`` (a fixed window of one
    hit on a second counter): while it lasts every hit is refused, so of N parallel hits at
    most one is let through. The count is forgotten ``window`` seconds after the last hit.
    Parameters left None are read from the ``CAS_EDUCONNECT_ATEN_THROTTLE_*`` settings when used.
    """

    def __init__(
        self,
        scope: str,
        free: int | None = None,
        factor: float | None = None,
        max_delay: float | None = None,
        window: float | None = None,
    ) -> None:
        self.scope = scope
        self._free, self._factor, self._max_delay, self._window = free, factor, max_delay, window

    @property
    def free(self) -> int:
        if self._free is not None:
            return self._free
        # A scope missing from a project's mapping keeps its default (a mapping written for an
        # older release must not turn a new scope into "locked at the first failure").
        name = "CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES"
        configured = getattr(settings, name)
        return int(configured.get(self.scope, DEFAULTS[name].get(self.scope, 0)))

    @property
    def window(self) -> float:
        return self._window if self._window is not None else settings.CAS_EDUCONNECT_ATEN_THROTTLE_WINDOW

    def delay(self, count: int) -> float:
        """Seconds the key stays locked after its ``count``-th hit."""
        factor = self._factor if self._factor is not None else settings.CAS_EDUCONNECT_ATEN_THROTTLE_FACTOR
        cap = self._max_delay if self._max_delay is not None else settings.CAS_EDUCONNECT_ATEN_THROTTLE_MAX_DELAY
        over = count - self.free
        if not factor or over <= 0:
            return 0.0
        return float(min(factor * 2 ** min(over - 1, 30), cap))

    def keys(self, key: str) -> list[str]:
        return [key, f"{key}:lock"]

    def hit(self, backend: Backend, key: str) -> Hit:
        count, _end = backend.incr(key, self.window, extend=True)
        delay = self.delay(count)
        if not delay:
            return Hit(True, count)
        taken, until = backend.incr(f"{key}:lock", math.ceil(delay))
        if taken == 1:
            return Hit(True, count, retry_at=until)
        backend.decr(key)  # refused while locked: not an attempt
        return Hit(False, count - 1, retry_at=until)

    def peek(self, backend: Backend, key: str) -> Hit:
        count, _end = backend.get(key)
        held, until = backend.get(f"{key}:lock")
        if held and self.delay(count + 1):
            return Hit(False, count, retry_at=until)
        return Hit(True, count)

    def refund(self, backend: Backend, key: str, hit: Hit | None = None) -> None:
        """Give back an allowed hit: its count, and the lock it took.

        A free hit took no lock: the one held may be another request's, and deleting it
        would let a further guess through, so it stays (``hit`` unknown: it goes).
        """
        backend.decr(key)
        if hit is None or hit.retry_at is not None:
            backend.delete(f"{key}:lock")


class Limit:
    """The counter of one (scope, key) under one policy, e.g. ``("sms_number", <hash>)``."""

    def __init__(self, scope: str, key: str, policy: Policy) -> None:
        self.scope, self.policy = scope, policy
        self.key = storage_key(scope, str(key))
        self.last: Hit | None = None  # what this object's last hit returned, for refund()

    @property
    def backend(self) -> Backend:
        return backend_for(self.scope)

    def hit(self) -> Hit:
        """Count one attempt and decide from the count; a refused attempt is not counted."""
        self.last = replace(self.policy.hit(self.backend, self.key), scope=self.scope)
        return self.last

    def peek(self) -> Hit:
        """Whether the next hit would pass, without counting."""
        return replace(self.policy.peek(self.backend, self.key), scope=self.scope)

    def refund(self) -> None:
        """Give back one allowed hit whose action did not happen (this object's last one if any)."""
        self.policy.refund(self.backend, self.key, self.last)
        self.last = None

    def reset(self) -> None:
        """Forget the counter (after a success)."""
        self.backend.delete(*self.policy.keys(self.key))


def hit_all(limits: list[Limit]) -> list[Hit]:
    """Hit every limit; if any refuses, refund the ones that allowed (the action won't happen).

    Returns the refusals in the order of ``limits``: empty when the action may go on.
    Used where one action is subject to several keys (identifier and IP, number and IP).
    """
    results = [(limit, limit.hit()) for limit in limits]
    refused = [result for _limit, result in results if not result.allowed]
    if refused:
        for limit, result in results:
            if result.allowed:
                limit.refund()
    return refused


def latest_retry(refused: list[Hit]) -> datetime.datetime | None:
    """When the last of these refusals ends (for "Try again after ..." messages)."""
    return max((r.retry_at for r in refused if r.retry_at), default=None)
