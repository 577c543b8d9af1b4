"""The client address the per-IP limits count.

Behind reverse proxies the address comes from a forwarding header, read from its right end:
each trusted proxy appends the address it saw, so with N trusted proxies the client is the
N-th value from the right. The values further left are the client's own words and never
used. The header is read by django-ipware (one parser, maintained elsewhere); with no
trusted proxy declared it is ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

from django.http import HttpRequest
from ipware import get_client_ip

from cas_educonnect.conf import settings


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address: ``REMOTE_ADDR``, or the header's value set by the outermost trusted proxy.

    A header with fewer values than trusted proxies did not come through them all: then
    ``REMOTE_ADDR`` (the peer itself) is counted rather than any value the client wrote.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER
    proxies = int(settings.CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES or 0)
    if not header or proxies <= 0 or not request.META.get(header):
        return remote
    # ipware counts the proxies listed in the header: the last trusted one appends its peer's
    # address, so N trusted proxies leave N - 1 proxy addresses there.
    ip, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=[header],
        strict=False,
    )
    return ip or remote
