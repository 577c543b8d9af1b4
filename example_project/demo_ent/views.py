"""The demo service: redirect to CAS, validate the ticket over HTTP with python-cas, show the result."""

from __future__ import annotations

import cas
import requests
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from lxml import etree


def cas_server_url(request: HttpRequest) -> str:
    """Where the CAS server is: a setting, else the same host under /cas/."""
    return getattr(settings, "DEMO_ENT_CAS_SERVER_URL", "") or request.build_absolute_uri("/cas/")


def service_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("demo_ent:home"))


def client(request: HttpRequest) -> cas.CASClientV3:
    return cas.CASClient(version=3, service_url=service_url(request), server_url=cas_server_url(request))


def home(request: HttpRequest) -> HttpResponse:
    ticket = request.GET.get("ticket")
    if ticket:
        try:
            user, attributes, _pgtiou = client(request).verify_ticket(ticket)
        except (requests.RequestException, etree.XMLSyntaxError):
            # CAS server unreachable or answering no XML: the same refusal as a bad ticket.
            user, attributes = None, None
        if user:
            request.session["demo_ent_user"] = user
            request.session["demo_ent_attributes"] = attributes or {}
        else:
            request.session.pop("demo_ent_user", None)
            return render(request, "demo_ent/home.html", {"error": True}, status=403)
        return redirect("demo_ent:home")
    user = request.session.get("demo_ent_user")
    if not user:
        return redirect(client(request).get_login_url())
    attributes = request.session.get("demo_ent_attributes", {})
    rows = sorted((name, value if isinstance(value, list) else [value]) for name, value in attributes.items())
    return render(request, "demo_ent/home.html", {"user": user, "attributes": rows})


def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop("demo_ent_user", None)
    request.session.pop("demo_ent_attributes", None)
    return redirect(client(request).get_logout_url(redirect_url=service_url(request)))
