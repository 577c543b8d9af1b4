"""FranceConnect login: start (redirect to FranceConnect) and callback (verify, then log in or link).

``state`` and ``nonce`` are 64 hex characters bound to the Django session and consumed by
the first callback that reads them, whatever its outcome: a second callback with the same
``state`` finds nothing and is refused.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cas_educonnect.conf import settings
from cas_educonnect.login.flow import LoginRoute, complete_login
from cas_educonnect.routes.franceconnect import client
from cas_educonnect.routes.franceconnect.base import FranceConnectError, Identity, Refused, Unavailable
from cas_educonnect.routes.franceconnect.linking import find_linked_account, store_login
from cas_educonnect.routes.franceconnect.pages import error_page

logger = logging.getLogger(__name__)

PENDING_KEY = "educonnect_fc_pending"
IDENTITY_KEY = "educonnect_fc_identity"


def callback_uri(request: HttpRequest) -> str:
    """The redirect URI declared to FranceConnect (setting, else this server's callback URL)."""
    configured = settings.CAS_EDUCONNECT_FRANCECONNECT_REDIRECT_URI
    return configured or request.build_absolute_uri(reverse("cas_server:educonnect_franceconnect:callback"))


@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Start a FranceConnect login for ``?service=``: redirect to the authorize endpoint."""
    service = request.GET.get("service", "")
    try:
        provider = client.get_provider()
    except Unavailable as exc:
        logger.warning("FranceConnect unavailable at start: %s", exc)
        return error_page(request, exc, service)
    state, nonce = secrets.token_hex(32), secrets.token_hex(32)
    redirect_uri = callback_uri(request)
    request.session[PENDING_KEY] = {"state": state, "nonce": nonce, "service": service, "redirect_uri": redirect_uri}
    return HttpResponseRedirect(client.authorization_url(provider, redirect_uri, state, nonce))


def _consume_pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.pop(PENDING_KEY, None)
    request.session.save()  # single use even if what follows fails
    return pending if isinstance(pending, dict) else None


def _check_callback(request: HttpRequest, pending: dict[str, Any] | None) -> str:
    """The authorization code if the callback belongs to the pending attempt, else raise."""
    state = request.GET.get("state", "")
    if pending is None:
        raise Refused("no_pending_state", "no login attempt in this session (missing or reused state)")
    if not state or not constant_time_compare(state, pending["state"]):
        raise Refused("bad_state", "state does not match the session")
    if request.GET.get("error"):
        raise Refused(f"provider_{request.GET['error'][:40]}", request.GET.get("error_description", "")[:200])
    code = request.GET.get("code", "")
    if not code:
        raise Refused("no_code", "callback without code")
    return code


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """FranceConnect's redirect back: verify everything, then log in (linked) or start the first link."""
    pending = _consume_pending(request)
    service = (pending or {}).get("service", "")
    try:
        code = _check_callback(request, pending)
        provider = client.get_provider()
        identity = client.authenticate(provider, pending["redirect_uri"], code, pending["nonce"])
    except FranceConnectError as exc:
        logger.warning("FranceConnect login refused (%s): %s", exc.reason, exc.detail)
        return error_page(request, exc, service)
    account = find_linked_account(identity.sub)
    if account is not None:
        logger.info("FranceConnect login of %s", account.identifier)
        store_login(request, identity)
        return complete_login(request, account.identifier, service, route=LoginRoute.FRANCECONNECT)
    return start_first_link(request, identity, service)


def start_first_link(request: HttpRequest, identity: Identity, service: str) -> HttpResponse:
    """Keep the verified identity in the session and send the user to the first-link flow."""
    request.session[IDENTITY_KEY] = {
        "sub": identity.sub,
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "birthdate": identity.birthdate,
        "acr": identity.acr,
        "id_token": identity.id_token,
        "service": service,
    }
    return HttpResponseRedirect(reverse("cas_server:educonnect_franceconnect:link"))
