"""Where the CAS server may send a browser: only to registered services."""

from __future__ import annotations

from cas_educonnect.conf import settings


def is_allowed_redirect(url: str | None) -> bool:
    """True if ``url`` matches a ServicePattern (an empty url is never allowed).

    Every redirect built from a request parameter (``service``, ``url``) goes through this:
    the host redirects to any URL on logout and on a failed gateway login (open redirects).
    ``CAS_EDUCONNECT_STRICT_REDIRECTS = False`` restores the host's behaviour.
    """
    if not url:
        return False
    if not settings.CAS_EDUCONNECT_STRICT_REDIRECTS:
        return True
    from cas_server.models import ServicePattern

    try:
        ServicePattern.validate(url)
    except ServicePattern.DoesNotExist:
        return False
    return True
