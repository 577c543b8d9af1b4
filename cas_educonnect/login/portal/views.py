"""Forget the remembered profile and show the profile page again."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from cas_educonnect.conf import settings
from cas_educonnect.login.flow import login_url


def reset(request: HttpRequest) -> HttpResponse:
    """Delete the profile cookie; back to ``/login`` with the same CAS parameters."""
    params = {k: request.GET[k] for k in ("service", "renew", "warn", "method") if request.GET.get(k)}
    response = HttpResponseRedirect(login_url(**params))
    response.delete_cookie(settings.CAS_EDUCONNECT_PORTAL_COOKIE_NAME)
    return response
