"""CAS logout that also ends the FranceConnect session.

:class:`LogoutView` shadows ``cas_server:logout``: for a FranceConnect session it first
sends the browser to FranceConnect's end-session endpoint (``id_token_hint``, a fresh
``state``, the declared ``post_logout_redirect_uri``); :func:`logout_callback` checks the
returned ``state`` and replays the original CAS logout request, now without FranceConnect.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cas_educonnect.conf import settings
from cas_educonnect.login.views import LogoutView as HostLogoutView
from cas_educonnect.routes.franceconnect import client
from cas_educonnect.routes.franceconnect.base import Unavailable
from cas_educonnect.routes.franceconnect.linking import SESSION_KEY

logger = logging.getLogger(__name__)

LOGOUT_KEY = "educonnect_fc_logout"


def post_logout_uri(request: HttpRequest) -> str:
    """The post-logout redirect URI declared to FranceConnect."""
    configured = settings.CAS_EDUCONNECT_FRANCECONNECT_POST_LOGOUT_REDIRECT_URI
    return configured or request.build_absolute_uri(reverse("cas_server:educonnect_franceconnect:logout_callback"))


class LogoutView(HostLogoutView):
    """The host's hardened CAS logout; a FranceConnect session goes through FranceConnect's end-session first."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        fc_session = request.session.get(SESSION_KEY)
        if fc_session and fc_session.get("id_token"):
            try:
                provider = client.get_provider()
            except Unavailable as exc:
                # FranceConnect down: still log out of CAS rather than trap the user.
                logger.warning("FranceConnect unavailable at logout, CAS logout only: %s", exc)
                provider = None
            if provider is not None and provider.end_session_endpoint:
                state = secrets.token_hex(32)
                request.session[LOGOUT_KEY] = {"state": state, "query": request.GET.urlencode()}
                params = {
                    "id_token_hint": fc_session["id_token"],
                    "state": state,
                    "post_logout_redirect_uri": post_logout_uri(request),
                }
                return HttpResponseRedirect(f"{provider.end_session_endpoint}?{urlencode(params)}")
        return super().get(request, *args, **kwargs)


@never_cache
@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    """FranceConnect's redirect after its logout: check ``state``, then finish the CAS logout."""
    pending = request.session.pop(LOGOUT_KEY, None)
    state = request.GET.get("state", "")
    if not isinstance(pending, dict) or not state or not constant_time_compare(state, pending["state"]):
        logger.warning("FranceConnect logout callback with an unexpected state")
        return render(request, "cas_educonnect/franceconnect/logout_error.html", status=400)
    request.session.pop(SESSION_KEY, None)
    url = reverse("cas_server:logout")
    return HttpResponseRedirect(f"{url}?{pending['query']}" if pending["query"] else url)
