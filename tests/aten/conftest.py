"""Fixtures of the ATEN route tests: demo service, people with accounts, CAS login helpers."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.core.cache import cache

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import AccountKind

SERVICE = "http://testserver/demo-ent/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_service(db) -> str:
    """The demo ENT registered as a CAS service (its ServicePattern), as in ``make demo``."""
    demo_services.run(DemoContext(base_url="http://testserver"))
    return SERVICE


@pytest.fixture
def family(pupil_factory, representative_factory, account_factory):
    """Two children of one representative, each with a notified account, and the parent's account."""
    lea = pupil_factory(first_name="Léa", last_name="Durand", birth_date=datetime.date(2012, 3, 14))
    tom = pupil_factory(first_name="Tom", last_name="Durand", birth_date=datetime.date(2009, 11, 2))
    parent = representative_factory(children=[lea, tom], first_name="Paul", last_name="Durand", email="p@ex.fr")
    return {
        "lea": lea,
        "tom": tom,
        "parent": parent,
        "lea_account": account_factory(kind=AccountKind.PUPIL, pupils=[lea]),
        "parent_account": account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent]),
    }


def cas_login(client, username: str, password: str, service: str | None = None, **extra):
    """GET then POST the CAS login form (with its login ticket); returns the POST response."""
    query = {"service": service} if service else {}
    client.get("/cas/login", query, **extra)
    data = {"username": username, "password": password, "lt": client.session["lt"][-1], **query}
    return client.post("/cas/login" + (f"?service={service}" if service else ""), data, **extra)


def follow_to_ticket(client, response) -> str:
    """Follow redirects until the service URL; returns the service ticket."""
    for _ in range(5):
        assert response.status_code == 302, response.content.decode()[:2000]
        location = response["Location"]
        if location.startswith(SERVICE):
            return parse_qs(urlparse(location).query)["ticket"][0]
        response = client.get(location)
    raise AssertionError("no ticket")


def link_from_mail(message, path_part: str) -> str:
    """The path (+ query) of the first link of ``message`` containing ``path_part``."""
    urls = re.findall(r"https?://[^\s\"<>]+", message.body)
    url = next(u for u in urls if path_part in u)
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def text(response) -> str:
    """The page as text (entities unescaped), to look for French sentences."""
    return html.unescape(response.content.decode())


def last_mail_to(address: str):
    return [m for m in mail.outbox if address in m.to][-1]
