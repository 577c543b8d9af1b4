"""The ATEN login step and the throttled CAS credential form.

``activation_step`` is listed in ``CAS_EDUCONNECT_LOGIN_STEPS``: a password login through
the CAS form of an account that is not activated yet never opens the SSO session; it is
sent to the activation pages (provisional password) or to the "validate your email" page
(representative whose link is not used yet). Routes that prove identity otherwise (SMS,
FranceConnect) call ``complete_login`` with no view, and this step lets them through.
"""

from __future__ import annotations

import logging
from typing import Any

from cas_server.forms import UserCredential
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.core.ratelimit import (
    hit_all,
    locked_error,
    login_succeeded,
    login_throttles,
)
from cas_educonnect.models import AccountKind, AccountState
from cas_educonnect.routes.aten.session import start_activation

logger = logging.getLogger(__name__)


def activation_step(request: HttpRequest, username: str, view: Any = None) -> HttpResponse | None:
    """Login step: lead accounts that are not activated to activation, keeping ``service``."""
    if view is None:
        return None
    account = find_account(username)
    if account is None or account.kind == AccountKind.LEGACY:
        return None
    service = getattr(view, "service", None) or request.POST.get("service") or request.GET.get("service")
    if account.state == AccountState.NOTIFIED and not account.password:
        start_activation(request, account, service)
        logger.info("Provisional-password login of %s: activation required", account.identifier)
        return redirect("cas_server:educonnect_aten_activate")
    if account.state == AccountState.ACTIVATING:
        start_activation(request, account, service)
        return redirect("cas_server:educonnect_aten_pending")
    return None


class ThrottledUserCredential(UserCredential):
    """``CAS_USER_CREDENTIAL_FORM``: the host's form, with failures throttled.

    Counters per typed identifier (existing or not) and per client IP; while locked the
    password is not even checked, and the answer is the same whether the identifier
    exists or not. The host's LoginView gives the form ``request`` (``form.request``).
    """

    request: HttpRequest | None = None

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip().lower()
        throttles = login_throttles(username, getattr(self, "request", None))
        # Counted before the check: parallel guesses cannot all slip under the lock.
        refused = hit_all(throttles)
        if refused:
            logger.warning("Login refused while throttled")
            raise locked_error(refused)
        cleaned = super().clean()  # wrong credentials raise: their hits stay counted
        if "username" in cleaned and "password" in cleaned and not self.errors:
            login_succeeded(throttles)
        else:  # a field missing: no password was checked
            for limit in throttles:
                limit.refund()
        return cleaned
