"""A condition the database must still meet when the next ticket is written.

An upper layer that decided something from data it did not re-read in this request (the
attributes layer's shared subjects) states, as SQL, what that data was; the ticket's
``INSERT ... SELECT`` (``host.issue``) writes the ticket only if the condition still holds
in the statement's own snapshot, and raises :class:`GuardFailed` otherwise. The decision is
then made again on fresh data. The guard lives in a :class:`~contextvars.ContextVar`: set
around one issuance, it is never seen by another request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple


class Guard(NamedTuple):
    """``sql``: a boolean SQL expression (its ``%s`` filled by ``params``), on the ticket's database."""

    alias: str
    sql: str
    params: Sequence[Any]


class GuardFailed(Exception):
    """No ticket was written: the guard's condition was false (or the SSO session gone)."""


_current: ContextVar[Guard | None] = ContextVar("cas_educonnect_ticket_guard", default=None)


def current() -> Guard | None:
    """The guard of the issuance in progress, if any."""
    return _current.get()


@contextmanager
def guarded(guard: Guard | None) -> Iterator[None]:
    """Within the block, tickets are written only while ``guard`` holds (no guard: always)."""
    token = _current.set(guard)
    try:
        yield
    finally:
        _current.reset(token)
