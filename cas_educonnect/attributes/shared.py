"""Subjects kept in each process between requests, trusted only under the ticket's guard.

Reading an account's subject (:mod:`.sql`) is a statement and the processing of its rows at
every ticket. On PostgreSQL that statement also returns the digest of the rows (SHA-256 of
each row as PostgreSQL writes it, sorted). A process keeps the last subjects it read with
their digests; at the next issuance for the same account the login view decides from the
kept subject and writes the ticket under a guard (:mod:`cas_educonnect.core.guards`): the
``INSERT`` happens only if the digest of the account's rows, computed in the insert's own
snapshot, is still the kept one. A change of any of those rows (through the ORM,
``QuerySet.update()``, the import's set-based SQL or by hand) changes the digest: no ticket,
the subject is read again and the decision made again. What issues no ticket (a refusal, the
profile choice, a denied service) is never decided from a kept subject.

Nothing but the ticket issuance (``login.policy``) reads kept subjects; elsewhere subjects
are read at each request as before. Elsewhere than on PostgreSQL nothing is kept.
``CAS_EDUCONNECT_SHARED_SUBJECTS`` bounds the number kept per process (0: none).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.core.signals import setting_changed
from django.db import router

from cas_educonnect.attributes import sql
from cas_educonnect.conf import settings
from cas_educonnect.core.guards import Guard
from cas_educonnect.models import Account, AccountState

_kept: OrderedDict[str, tuple[object, bytes]] = OrderedDict()
_lock = threading.Lock()


def remember(username: str, subject, digest: bytes) -> None:
    """Keep ``subject``, read with ``digest``, least recently used out first."""
    size = settings.CAS_EDUCONNECT_SHARED_SUBJECTS
    if size <= 0:
        return
    with _lock:
        _kept[username] = (subject, digest)
        _kept.move_to_end(username)
        while len(_kept) > size:
            _kept.popitem(last=False)


def remembered(username: str):
    """``(subject, digest)`` kept for ``username``, or None."""
    with _lock:
        kept = _kept.get(username)
        if kept is not None:
            _kept.move_to_end(username)
        return kept


def forget(username: str | None = None) -> None:
    """Drop what is kept for ``username`` (None: everything)."""
    with _lock:
        if username is None:
            _kept.clear()
        else:
            _kept.pop(username, None)


def ticket_guard(username: str, digest: bytes) -> Guard | None:
    """The condition under which a ticket may be written from the subject kept with ``digest``."""
    alias = router.db_for_read(Account)
    condition = sql.digest_condition(alias)
    if condition is None:
        return None
    return Guard(alias, condition, (username, AccountState.CLOSED, digest))


def _settings_changed(**kwargs) -> None:
    # Subjects depend on settings (legal statuses, ...): none survives a change.
    forget()


setting_changed.connect(_settings_changed, dispatch_uid="cas_educonnect.attributes.shared.reset")
