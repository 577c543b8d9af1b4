"""Opening an SSO session, shared by the CAS form and every other login route.

Routes that authenticate outside the CAS form (activation, SMS, FranceConnect, switch)
finish with :func:`open_sso_session` then redirect to :func:`login_url`, so the host's own
``/login?service=`` code issues the service ticket, with every ServicePattern check.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from cas_server import models as cas_models
from django.db import models
from django.dispatch import Signal
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.host.issue import USER_PK_SESSION_KEY
from cas_educonnect.login.steps import get_login_steps

logger = logging.getLogger(__name__)

# Sent once per SSO session opened, with ``username`` and ``route`` (a LoginRoute value):
# the statistics count logins per route from it (cas_educonnect.staff).
sso_session_opened = Signal()

# Session key holding the route of a login a step interrupted, for the step's own finish
# (e.g. the profile choice) to pass it on to complete_login.
ROUTE_SESSION_KEY = "educonnect_login_route"

# Request attribute: the (service, warn) complete_login finishes with, for the steps it runs.
_FINISHING_ATTR = "educonnect_finishing_login"


class LoginRoute(models.TextChoices):
    """How a login that opens an SSO session was made; each flow passes its own."""

    PASSWORD = "password", _("Identifier and password")
    ACTIVATION = "activation", _("First-login activation")
    SMS = "sms", _("SMS registration")
    FRANCECONNECT = "franceconnect", _("FranceConnect")
    LEGACY = "legacy", _("Other users (legacy)")
    SWITCH = "switch", _("Switch to EduConnect")


def open_sso_session(
    request: HttpRequest, username: str, warn: bool = False, route: str = LoginRoute.PASSWORD
) -> cas_models.User:
    """Log ``username`` into the CAS session of ``request``; return the host's User row.

    The session key is rotated first (no session fixation); the host keys its ``User``
    row on (username, session_key), so the row is created after the rotation.
    ``route`` is announced with :data:`sso_session_opened` (one statistics row per login).
    """
    request.session.cycle_key()
    request.session.set_expiry(0)
    request.session["username"] = username
    request.session["warn"] = warn
    request.session["authenticated"] = True
    user, _created = cas_models.User.objects.get_or_create(username=username, session_key=request.session.session_key)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login", "date"])
    request.session[USER_PK_SESSION_KEY] = user.pk  # ticket issuance needs no read of the row (host.issue)
    request.session.pop(ROUTE_SESSION_KEY, None)
    logger.info("SSO session opened for %s (%s)", username, route)
    sso_session_opened.send(sender=LoginRoute, request=request, username=username, route=str(route))
    return user


def login_url(service: str | None = None, **params: str) -> str:
    """URL of the CAS login view, carrying ``service`` and other CAS parameters."""
    query = {k: v for k, v in {"service": service or "", **params}.items() if v}
    url = reverse("cas_server:login")
    return f"{url}?{urlencode(query)}" if query else url


def cas_username(username: str) -> str:
    """The CAS user of the open account ``username`` (any case), else ``username`` lowercased.

    The historical spelling for a legacy account, the normalized identifier otherwise: the
    CAS form gets the same from the auth class (``EduconnectAuthUser.test_password``).
    """

    account = find_account(username)
    return account.cas_username if account is not None else (username or "").strip().lower()


def step_params(request: HttpRequest, view=None) -> tuple[str, bool]:
    """``(service, warn)`` of the login a step is looking at.

    The CAS form's (``view``), else those :func:`complete_login` is finishing with (the page
    that calls it, e.g. an offer answered "later", need not carry them), else the request's.
    """
    if view is not None:
        return view.service or "", bool(request.POST.get("warn"))
    finishing = getattr(request, _FINISHING_ATTR, None)
    if finishing is not None:
        return finishing
    return request.POST.get("service") or request.GET.get("service") or "", False


def interrupted_route(request: HttpRequest) -> str:
    """The route of the login a step took over (for that step's finish), else password."""
    return request.session.get(ROUTE_SESSION_KEY) or LoginRoute.PASSWORD


def complete_login(
    request: HttpRequest,
    username: str,
    service: str | None = None,
    warn: bool = False,
    route: str = LoginRoute.PASSWORD,
):
    """Finish a login made outside the CAS form (activation, SMS, FranceConnect, switch...).

    Runs the same login steps as the CAS form (each step decides from the account and the
    session whether it has something to do, so running them again is safe), then opens the
    SSO session and sends the browser to ``/login?service=`` where the host issues the ticket.
    ``route`` is the flow that authenticated (statistics); a step that takes over finds it in
    the session (:func:`interrupted_route`). ``username`` may be typed in any case: the
    session gets the account's CAS user (:func:`cas_username`). Returns the response to send.
    """
    username = cas_username(username)
    request.session[ROUTE_SESSION_KEY] = str(route)
    setattr(request, _FINISHING_ATTR, (service or "", bool(warn)))
    for step in get_login_steps():
        response = step(request, username, None)
        if response is not None:
            return response
    open_sso_session(request, username, warn, route)
    return redirect(login_url(service))
