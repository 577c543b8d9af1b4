"""A per-request memo for attribute computation.

The host builds ``CAS_AUTH_CLASS`` from the username alone, up to 3 times per ticket
issuance (filters, ``get_ticket``, ``user_field``). The store lives in a
:class:`~contextvars.ContextVar`: each thread (WSGI) or task (ASGI) has its own, so two
concurrent requests never share entries. It is opened by ``request_started`` and dropped by
``request_finished``; outside a request (commands, shell, tests calling ``release()``)
nothing is memoised unless the caller opens :func:`request_cache` itself. Saving a
directory or account row inside a request clears the store, so a step that changes data
and then releases attributes in the same request sees the change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from cas_educonnect.models import Account, Establishment, Pupil, Representative, RepresentativeLink

T = TypeVar("T")

_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("cas_educonnect_attributes_cache", default=None)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, memoised under ``key`` for the current request (values must be immutable)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


#: What :func:`peek` answers for a key not memoised (or outside a request).
MISSING = object()


def peek(key: Hashable) -> Any:
    """The value memoised under ``key`` in the current request, or :data:`MISSING`."""
    store = _store.get()
    return MISSING if store is None else store.get(key, MISSING)


def put(key: Hashable, value: Any) -> None:
    """Memoise ``value`` under ``key`` for the current request (nothing outside a request)."""
    store = _store.get()
    if store is not None:
        store[key] = value


def invalidate() -> None:
    """Forget everything memoised in the current request."""
    store = _store.get()
    if store:
        store.clear()


@contextmanager
def request_cache() -> Iterator[None]:
    """Memoise inside this block (commands and benchmarks use it; requests get it automatically)."""
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def _open(**kwargs: Any) -> None:
    _store.set({})


def _close(**kwargs: Any) -> None:
    _store.set(None)


def _changed(**kwargs: Any) -> None:
    invalidate()


def connect() -> None:
    """Wire the store to the request cycle and to data changes (called from ``AppConfig.ready``)."""
    request_started.connect(_open, dispatch_uid="cas_educonnect.attributes.cache.open")
    request_finished.connect(_close, dispatch_uid="cas_educonnect.attributes.cache.close")
    for model in (Account, Establishment, Pupil, Representative, RepresentativeLink):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"cas_educonnect.attributes.cache.{model.__name__}")
    for through in (Account.pupils.through, Account.representatives.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"cas_educonnect.attributes.cache.{through}")
