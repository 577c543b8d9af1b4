"""CAS round trips through the test client: the demo service, login forms, ticket validation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlencode, urlsplit

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services

SERVICE = "http://testserver/demo-ent/"
CAS_NS = {"cas": "http://www.yale.edu/tp/cas"}
# Added by the CAS 3 protocol itself, not by our attribute release.
PROTOCOL_ATTRIBUTES = {"authenticationDate", "isFromNewLogin", "longTermAuthenticationRequestTokenUsed"}


def register_demo_service() -> str:
    """The demo ENT as a CAS service (as ``educonnect_demo`` registers it), for the test server."""
    demo_services.run(DemoContext(base_url="http://testserver"))
    return SERVICE


def login_page(client, service: str = SERVICE, **params: str):
    return client.get("/cas/login?" + urlencode({"service": service, **params}))


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def post_credentials(client, page, username: str, password: str, **extra: str):
    """Submit the credentials form of ``page`` (a login page response) like a browser."""
    data = hidden_fields(page.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update({"username": username, "password": password, **extra})
    return client.post("/cas/login", data)


def ticket_of(response, service: str = SERVICE) -> str:
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith(service), location
    return parse_qs(urlsplit(location).query)["ticket"][0]


def validate(client, ticket: str, service: str = SERVICE) -> tuple[str, dict[str, list[str]]]:
    """``/cas/p3/serviceValidate``: the CAS user and attributes the service receives."""
    response = client.get("/cas/p3/serviceValidate?" + urlencode({"ticket": ticket, "service": service}))
    root = ET.fromstring(response.content)
    success = root.find("cas:authenticationSuccess", CAS_NS)
    assert success is not None, response.content
    user = success.find("cas:user", CAS_NS).text
    attributes: dict[str, list[str]] = {}
    block = success.find("cas:attributes", CAS_NS)
    for element in list(block) if block is not None else []:
        name = element.tag.split("}", 1)[1]
        if name in PROTOCOL_ATTRIBUTES:
            continue
        attributes.setdefault(name, []).append(element.text or "")
    return user, attributes
