"""Driving the CAS login of the test server like a browser does."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from cas_server.models import ReplaceAttributName, ServicePattern
from django.contrib.auth.hashers import make_password

from cas_educonnect.models import ServiceCategory, ServiceProfile

PASSWORD = "Un-mot-de-passe-2026"
ENT = "https://ent.example.org/"
NOTES = "https://notes.example.org/"


def register_service(url: str, category: str, name: str) -> ServicePattern:
    pattern = ServicePattern.objects.create(name=name, pattern="^" + url.replace(".", r"\."), pos=10)
    ReplaceAttributName.objects.create(service_pattern=pattern, name="*")
    ServiceProfile.objects.create(service_pattern=pattern, category=category)
    return pattern


def services() -> None:
    register_service(ENT, ServiceCategory.ENT, "ENT")
    register_service(NOTES, ServiceCategory.FOLLOW_UP, "Notes et absences")


def set_password(account) -> None:
    account.password = make_password(PASSWORD)
    account.save(update_fields=["password"])


def cas_login(client, identifier: str, service: str = ENT, password: str = PASSWORD):
    """POST the CAS form (fetching a login ticket first); return the response."""
    client.get("/cas/login", {"service": service})
    lt = client.session["lt"][-1]
    return client.post("/cas/login", {"username": identifier, "password": password, "lt": lt, "service": service})


def ticket_of(response) -> str:
    assert response.status_code == 302, response.content[:500]
    return parse_qs(urlparse(response["Location"]).query)["ticket"][0]
