"""Views of the ATEN pages: activation, self-service, account page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cas_educonnect.accounts.tokens import email_token, encode_pk

TEMPLATES = "cas_educonnect/aten"


def page(request: HttpRequest, name: str, context: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    """Render ``cas_educonnect/aten/<name>.html``."""
    response = render(request, f"{TEMPLATES}/{name}.html", context or {}, status=status)
    response["Referrer-Policy"] = "same-origin"  # links carry tokens; "no-referrer" would make POSTs send Origin: null
    return response


def email_link(request: HttpRequest, account, service: str = "") -> str:
    """Absolute URL of the email validation / change confirmation link of ``account``."""

    url = reverse(
        "cas_server:educonnect_aten_email_confirm",
        kwargs={"uidb64": encode_pk(account), "token": email_token.make_token(account)},
    )
    if service:
        url += "?" + urlencode({"service": service})
    return request.build_absolute_uri(url)
