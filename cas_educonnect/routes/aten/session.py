"""Session state of the ATEN pages, always bound to an account that really authenticated.

The activation pages never read an identifier from the request: the login step stores
the primary key of the account that just passed the password check (after rotating the
session key), and every page reads it back from there. The account pages use the CAS
SSO session the host opened (``session["username"]``).
"""

from __future__ import annotations

import time
from typing import Any

from cas_server.models import User as SsoSession
from django.http import HttpRequest

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.conf import settings
from cas_educonnect.core.redirects import safe_service
from cas_educonnect.models import Account, AccountState

SESSION_KEY = "educonnect_aten_activation"


def start_activation(
    request: HttpRequest, account: Account, service: str | None, proven: list[int] | None = None
) -> None:
    """Bind the session to ``account`` (which just passed a password or activation-code check).

    ``proven``: pupils whose birth date was already checked (the one given with a code),
    not asked again on the activation page.
    """
    request.session.cycle_key()
    state = {"account": account.pk, "service": safe_service(service), "at": time.time()}
    if proven:
        state["proven"] = [int(pk) for pk in proven]
    request.session[SESSION_KEY] = state


def activation_state(request: HttpRequest) -> dict[str, Any] | None:
    """The live activation state of this session, or None (absent or too old)."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or "account" not in state:
        return None
    if time.time() - float(state.get("at", 0)) > settings.CAS_EDUCONNECT_ATEN_ACTIVATION_SESSION_AGE:
        request.session.pop(SESSION_KEY, None)
        return None
    return state


def activation_account(request: HttpRequest, *states: str) -> tuple[Account | None, str]:
    """The account this session is activating (if in one of ``states``) and the service."""
    state = activation_state(request)
    if state is None:
        return None, ""
    account = Account.objects.filter(pk=state["account"], state__in=states or [AccountState.NOTIFIED]).first()
    return account, state.get("service", "")


def end_activation(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def logged_in_account(request: HttpRequest) -> Account | None:
    """The active account of the CAS SSO session of ``request``, or None."""
    if not request.session.get("authenticated"):
        return None
    account = find_account(request.session.get("username", ""))
    if account is None or account.state != AccountState.ACTIVE or account.refused:
        return None
    return account


def end_sso_sessions(username: str, keep_session_key: str | None = None) -> int:
    """Log ``username`` out of every CAS SSO session but ``keep_session_key``; returns how many.

    Used when the password changes (reset link, account page) or the account is absorbed
    by grouping: a session opened with the old credentials must not outlive them. Like the
    host's own session cleaning, single log-out is sent to the services of each session.
    """
    sessions = SsoSession.objects.filter(username=username)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count = 0
    for session in sessions:
        session.logout()
        session.delete()
        count += 1
    return count
