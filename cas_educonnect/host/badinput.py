"""One guard refusing parameters no person or CAS client sends, before any view reads them.

Why one middleware rather than a ``try`` in each view: the host's views copy their
parameters into SQL (PostgreSQL refuses a NUL byte in text, ``psycopg.DataError``, a 500),
into XML answers (a control character makes the document malformed, and CAS clients crash
on it) and into pages; our views and the admin do the same. Checking every GET and POST
parameter and every URL argument once, where they enter, covers the views we have and the
ones added later.

Refused, whatever the parameter:

* a NUL byte or another C0 control character (tab, LF and CR excepted: XML 1.0 and
  textareas have them), ``U+FFFE``/``U+FFFF``;
* ``U+FFFD``, which is what Django decodes invalid UTF-8 (``%ff``) into: no one types it;
* a value longer than ``CAS_EDUCONNECT_MAX_PARAMETER_LENGTH`` (query string everywhere, and
  POST outside the admin, whose text areas may be long; ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  bounds every body).

The answer speaks the endpoint's protocol: ``no`` for CAS 1 ``validate``; for the CAS 2/3
validations and ``proxy`` an ``authenticationFailure`` whose code names the parameter
(``INVALID_TICKET``, ``INVALID_SERVICE``, else ``INVALID_REQUEST``), rendered by the host's
own error class so the XML is the host's; a SAML ``Requester`` status for ``samlValidate``;
and a 400 page everywhere else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from cas_server import views as cas_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cas_educonnect.conf import settings

logger = logging.getLogger(__name__)

#: Characters no parameter may hold (see the module docstring).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd\ufffe\uffff]")

#: The 400 page of every other URL (it echoes nothing of the request).
TEMPLATE = "cas_educonnect/host/bad_request.html"

#: URL names (namespace ``cas_server``) answering CAS 2/3 XML, with the host's error class.
XML_ENDPOINTS = frozenset({"serviceValidate", "proxyValidate", "p3_serviceValidate", "p3_proxyValidate", "proxy"})
#: Parameter name → CAS error code; any other parameter is an ``INVALID_REQUEST``.
CODES = {
    "ticket": "INVALID_TICKET",
    "pgt": "INVALID_TICKET",
    "service": "INVALID_SERVICE",
    "targetService": "INVALID_SERVICE",
}

#: URL namespaces whose POST values are not bounded by the length (admin text areas).
LONG_POST_NAMESPACES = frozenset({"admin"})


def bad_value(value: object, limit: int) -> str | None:
    """Why ``value`` is refused ("control", "encoding", "length"), or None."""
    if not isinstance(value, str):
        return None
    if len(value) > limit:
        return "length"
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    return "encoding" if found.group() == "\ufffd" else "control"


def first_bad(items: Iterable[tuple[str, object]], limit: int | None) -> tuple[str, str] | None:
    """The first (name, reason) refused among ``items``; the name itself is checked too."""
    bound = limit if limit is not None else float("inf")
    for name, value in items:
        reason = bad_value(name, bound) or bad_value(value, bound)  # type: ignore[arg-type]
        if reason:
            return name, reason
    return None


def find_bad(request: HttpRequest, view_kwargs: dict) -> tuple[str, str] | None:
    """The first refused parameter of ``request`` (query, body, URL arguments), or None."""
    limit = settings.CAS_EDUCONNECT_MAX_PARAMETER_LENGTH
    match = request.resolver_match
    post_limit = None if match is not None and set(match.namespaces) & LONG_POST_NAMESPACES else limit
    found = first_bad(_flat(request.GET), limit)
    # samlValidate reads its body as XML: parsing it as a form first would consume the stream.
    reads_body = match is not None and match.url_name == "samlValidate"
    if found is None and request.method == "POST" and not reads_body:
        found = first_bad(_flat(request.POST), post_limit)
    if found is None:
        found = first_bad(view_kwargs.items(), limit)
    return found


def _flat(query) -> list[tuple[str, str]]:
    return [(name, value) for name, values in query.lists() for value in values]


def refusal(request: HttpRequest, name: str, reason: str) -> HttpResponse:
    """The endpoint's own error answer for a refused parameter ``name``."""
    match = request.resolver_match
    url_name = match.url_name if match is not None and "cas_server" in match.namespaces else None
    message = f"invalid parameter {FORBIDDEN.sub('?', name[:64])}: {reason}"
    if url_name == "validate":
        return HttpResponse("no\n", content_type="text/plain; charset=utf-8")
    if url_name in XML_ENDPOINTS:
        return cas_views.ValidateError(CODES.get(name, "INVALID_REQUEST"), message).render(request)
    if url_name == "samlValidate":
        return cas_views.SamlValidateError("Requester", message).render(request)
    return render(request, TEMPLATE, status=400)


class BadInputMiddleware:
    """Refuse a request carrying a parameter of :data:`FORBIDDEN` characters or too long.

    List it right after ``SecurityMiddleware`` (check ``cas_educonnect.W031``): it acts in
    ``process_view``, once the URL is resolved (the answer depends on the endpoint) and before
    any other middleware's ``process_view`` (CSRF) or the view reads a parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        found = find_bad(request, view_kwargs)
        if found is None:
            return None
        name, reason = found
        logger.warning("Refused %s %r: parameter %r (%s)", request.method, request.path[:200], name[:64], reason)
        return refusal(request, name, reason)
