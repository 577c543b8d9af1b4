"""Rows an operator rarely changes, kept in each process between requests, refreshed everywhere on change.

A :class:`SharedMemo` holds what its ``load()`` read from the database and reuses it while

* the *version* in the shared cache (Redis in production: every app server sees it) has not
  changed: :meth:`SharedMemo.invalidate`, connected to the ``post_save`` / ``post_delete``
  of the rows it was read from, writes a new version, read by each process at most once per
  :data:`VERSION_CHECK_SECONDS` (a cache round trip per request cost as much as a query
  under load), so a change reaches the process that made it at once and every other one
  within a second; and
* it is younger than its ``max_age()`` seconds, a bound for writes that send no signal
  (``QuerySet.update()``, raw SQL) and for per-process caches (``LocMemCache``), where a
  version written by one process is not seen by the others.

A ``max_age()`` of ``0`` turns the memo off: every :meth:`~SharedMemo.get` calls ``load()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from django.core.cache import cache

T = TypeVar("T")

#: Seconds a process trusts the shared version it last read.
VERSION_CHECK_SECONDS = 1.0


class _State(NamedTuple):
    version: object
    loaded_at: float
    checked_at: float
    value: object


class SharedMemo(Generic[T]):
    """``load()``'s result, per process, until the shared version under ``key`` moves or ``max_age()`` passes."""

    #: Every memo made, so that tests can forget them all (a rolled-back database sends no signal).
    instances: list[SharedMemo] = []

    def __init__(self, key: str, load: Callable[[], T], max_age: Callable[[], float]) -> None:
        self.key, self.load, self.max_age = key, load, max_age
        self.state: _State | None = None
        SharedMemo.instances.append(self)

    def get(self) -> T:
        """The memo, reloaded when the shared version moved or the memo is older than ``max_age()``."""
        max_age = self.max_age()
        if not max_age:
            return self.load()
        now = time.monotonic()
        state = self.state
        if state is not None and now - state.checked_at < VERSION_CHECK_SECONDS and now - state.loaded_at < max_age:
            return state.value
        version = cache.get(self.key)
        if state is None or state.version != version or now - state.loaded_at >= max_age:
            # Read the version before the rows: a change between the two reloads once more.
            state = self.state = _State(version, now, now, self.load())
        else:
            self.state = state._replace(checked_at=now)
        return state.value

    def invalidate(self, **kwargs) -> None:
        """Forget the memo here and, through a new shared version, in every other process.

        Takes a signal's keyword arguments, so it can be connected as a receiver.
        """
        self.state = None
        cache.set(self.key, time.time_ns(), timeout=None)

    def forget(self) -> None:
        """Forget the memo in this process only."""
        self.state = None

    @classmethod
    def forget_all(cls) -> None:
        for memo in cls.instances:
            memo.forget()
