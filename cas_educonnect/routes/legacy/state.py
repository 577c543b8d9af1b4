"""The switch's progress, kept in the session between pages (legacy account proved, steps done)."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from cas_educonnect.conf import settings
from cas_educonnect.core.ratelimit import FixedWindow, Limit
from cas_educonnect.models import Account, AccountKind, AccountState

KEY = "educonnect_legacy_switch"
DONE_KEY = "educonnect_legacy_switched"


def start(request: HttpRequest, account: Account, service: str | None) -> None:
    """Record that ``account``'s legacy credentials were just proved in this session."""
    request.session[KEY] = {"account": account.pk, "service": service or "", "at": time.time()}


def get(request: HttpRequest) -> dict[str, Any] | None:
    """The current switch state, or None when absent or expired."""
    state = request.session.get(KEY)
    if not state:
        return None
    if time.time() - state.get("at", 0) > settings.CAS_EDUCONNECT_LEGACY_SWITCH_TIMEOUT:
        clear(request)
        return None
    return state


def update(request: HttpRequest, **values: Any) -> None:
    state = request.session.get(KEY) or {}
    state.update(values)
    request.session[KEY] = state


def clear(request: HttpRequest) -> None:
    request.session.pop(KEY, None)


def birth_date_attempts(state: dict[str, Any]) -> Limit:
    """Birth-date submissions of this switch (account and start), shared by every worker.

    Like the session counter it replaces, a new switch (legacy credentials proved again)
    starts a new count.
    """
    policy = FixedWindow(
        settings.CAS_EDUCONNECT_LEGACY_SWITCH_MAX_ATTEMPTS, settings.CAS_EDUCONNECT_LEGACY_SWITCH_TIMEOUT
    )
    return Limit("legacy_birth_date", f"{state.get('account')}:{state.get('at')}", policy)


def legacy_account(state: dict[str, Any]) -> Account | None:
    """The open legacy account the state is about (None if closed meanwhile)."""
    return (
        Account.objects.filter(pk=state.get("account"), kind=AccountKind.LEGACY)
        .exclude(state=AccountState.CLOSED)
        .select_related("legacy_profile")
        .first()
    )
