"""Where the CAS server may send a browser: only to registered services."""

from __future__ import annotations

from cas_server.models import ServicePattern

from cas_educonnect.conf import settings


def is_registered_service(url: str | None) -> bool:
    """True if ``url`` matches a ServicePattern (an empty url never does)."""
    if not url:
        return False
    try:
        ServicePattern.validate(url)
    except ServicePattern.DoesNotExist:
        return False
    return True


def is_allowed_redirect(url: str | None) -> bool:
    """True if the host may redirect to ``url``: a registered service.

    Every redirect built from a request parameter (``service``, ``url``) goes through this:
    the host redirects to any URL on logout and on a failed gateway login (open redirects).
    ``CAS_EDUCONNECT_STRICT_REDIRECTS = False`` restores the host's behaviour.
    """
    if not url:
        return False
    if not settings.CAS_EDUCONNECT_STRICT_REDIRECTS:
        return True
    return is_registered_service(url)


def safe_service(service: str | None) -> str:
    """``service`` if it is a registered service, else ``""``.

    What a page keeps of a ``service`` parameter to come back to it later: the flows send
    the browser to ``/login?service=`` with it, never to an unregistered URL.
    """
    return service if is_registered_service(service) else ""
