"""Pages of the login flow that several views show."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template


def base_template() -> str:
    """The project's base page once it exists, else ours."""
    return select_template(["cas_educonnect/base.html", "cas_educonnect/attributes/base.html"]).template.name


def refused_response(request: HttpRequest) -> HttpResponse:
    """The page shown to someone who refused the service for himself."""
    return render(request, "cas_educonnect/attributes/refused.html", {"base_template": base_template()}, status=403)
