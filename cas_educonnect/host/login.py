"""Opening an SSO session, shared by the CAS form and every other login route.

Routes that authenticate outside the CAS form (activation, SMS, FranceConnect, switch)
finish with :func:`open_sso_session` then redirect to :func:`login_url`, so the host's own
``/login?service=`` code issues the service ticket, with every ServicePattern check.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from cas_server import models as cas_models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)


def open_sso_session(request: HttpRequest, username: str, warn: bool = False) -> cas_models.User:
    """Log ``username`` into the CAS session of ``request``; return the host's User row.

    The session key is rotated first (no session fixation); the host keys its ``User``
    row on (username, session_key), so the row is created after the rotation.
    """
    request.session.cycle_key()
    request.session.set_expiry(0)
    request.session["username"] = username
    request.session["warn"] = warn
    request.session["authenticated"] = True
    user, _created = cas_models.User.objects.get_or_create(username=username, session_key=request.session.session_key)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login", "date"])
    logger.info("SSO session opened for %s", username)
    return user


def login_url(service: str | None = None, **params: str) -> str:
    """URL of the CAS login view, carrying ``service`` and other CAS parameters."""
    query = {k: v for k, v in {"service": service or "", **params}.items() if v}
    url = reverse("cas_server:login")
    return f"{url}?{urlencode(query)}" if query else url


def complete_login(request: HttpRequest, username: str, service: str | None = None, warn: bool = False):
    """Finish a login made outside the CAS form (activation, SMS, FranceConnect, switch...).

    Runs the same login steps as the CAS form (each step decides from the account and the
    session whether it has something to do, so running them again is safe), then opens the
    SSO session and sends the browser to ``/login?service=`` where the host issues the ticket.
    Returns the response to send.
    """
    from django.shortcuts import redirect

    from .views import get_login_steps

    for step in get_login_steps():
        response = step(request, username, None)
        if response is not None:
            return response
    open_sso_session(request, username, warn)
    return redirect(login_url(service))
