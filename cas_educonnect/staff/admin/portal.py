"""The address of the online-services portal printed on letters."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from cas_educonnect.conf import settings


def portal_url(request: HttpRequest | None = None) -> str:
    """``CAS_EDUCONNECT_PORTAL_URL``, else this server's CAS login page."""
    if settings.CAS_EDUCONNECT_PORTAL_URL:
        return settings.CAS_EDUCONNECT_PORTAL_URL
    path = reverse("cas_server:login")
    return request.build_absolute_uri(path) if request is not None else path
