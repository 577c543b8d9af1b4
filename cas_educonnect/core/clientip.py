"""The client address the per-IP limits count."""

from __future__ import annotations

from django.http import HttpRequest

from cas_educonnect.conf import settings


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address, from REMOTE_ADDR or the configured proxy header (rightmost value)."""
    if request is None:
        return None
    header = settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if parts:
            return parts[-1]
    return request.META.get("REMOTE_ADDR") or None
