"""The French error page of the FranceConnect route: what went wrong, and the other routes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cas_educonnect.login.flow import login_url
from cas_educonnect.routes.franceconnect.base import FranceConnectError, Unavailable

UNAVAILABLE = _(
    "FranceConnect is unavailable at the moment. You can log in with your EduConnect identifier "
    "and password, or try FranceConnect again later."
)
REFUSED = _(
    "The FranceConnect login could not be completed (the answer could not be verified or the request "
    "was already used). Nothing was changed: start again, or log in with your EduConnect identifier."
)


def _sms_url(service: str) -> str:
    """The SMS self-registration route ("Je n'ai pas d'identifiant"), if installed."""
    try:
        url = reverse("cas_server:educonnect_sms_start")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'service': service})}" if service else url


def error_page(request: HttpRequest, error: FranceConnectError, service: str = "") -> HttpResponse:
    """503 for an outage, 400 for a refused answer; never a 500, always a way out."""
    unavailable = isinstance(error, Unavailable)
    return render(
        request,
        "cas_educonnect/franceconnect/error.html",
        {
            "message": UNAVAILABLE if unavailable else REFUSED,
            "reason": error.reason,
            "login_url": login_url(service),
            "sms_url": _sms_url(service),
            "service": service,
        },
        status=503 if unavailable else 400,
    )
