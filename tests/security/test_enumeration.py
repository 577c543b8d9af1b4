"""Enumeration: a known and an unknown identifier, address or number get the same page.

Pages are compared as rendered text, with the per-request tokens (CSRF, login ticket) and
the echoed input removed. Lost identifier: ``tests/aten/test_selfservice.py`` (same answer);
here login, lost password and SMS registration, side by side.
"""

# ruff: noqa: F811  (pytest fixtures imported from the feature suites are redefined as arguments)

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from tests.aten.conftest import family  # noqa: F401
from tests.aten.test_selfservice import active  # noqa: F401
from tests.sms.conftest import family as sms_family  # noqa: F401
from tests.sms.conftest import service as sms_service  # noqa: F401
from tests.sms.conftest import sms_locmem, start  # noqa: F401

pytestmark = pytest.mark.django_db
TOKENS = re.compile(
    r'(name="(?:csrfmiddlewaretoken|lt)"[^>]*value=")[^"]*"|(value=")[^"]*(" name="(?:csrfmiddlewaretoken|lt)")'
)


def page_text(response, *echoed: str) -> str:
    body = TOKENS.sub(lambda m: (m.group(1) or m.group(2)) + '"' + (m.group(3) or ""), response.content.decode())
    body = html.unescape(body)
    for value in echoed:
        body = body.replace(value, "<input>")
    return body


def login_page(identifier: str):
    client = Client()
    client.get("/cas/login")
    data = {"username": identifier, "password": "Not-The-Password-1", "lt": client.session["lt"][-1]}
    return client.post("/cas/login", data)


def test_login_failure_is_the_same_for_known_and_unknown_identifiers(active):
    known, unknown = login_page(active.identifier), login_page("personne.inconnue")
    assert known.status_code == unknown.status_code == 200
    assert page_text(known, active.identifier) == page_text(unknown, "personne.inconnue")


def test_lost_password_is_the_same_for_known_and_unknown_identifiers(active):
    known = Client().post("/cas/aten/lost-password/", {"identifier": active.identifier})
    unknown = Client().post("/cas/aten/lost-password/", {"identifier": "personne.inconnue"})
    assert known.status_code == unknown.status_code
    assert page_text(known, active.identifier) == page_text(unknown, "personne.inconnue")


def test_sms_registration_is_the_same_for_known_and_unknown_numbers(sms_family, sms_service, sms_locmem):
    known_client, unknown_client = Client(), Client()
    known, unknown = start(known_client), start(unknown_client, mobile="07 81 23 45 67")
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    known_page = known_client.get(known["Location"])
    unknown_page = unknown_client.get(unknown["Location"])
    # The masked number and the resend time (seconds apart between the two requests) may differ.
    masked = re.compile(r"\+33\d\*+\d\d|\b\d\d:\d\d:\d\d\b")
    assert masked.sub("N", page_text(known_page)) == masked.sub("N", page_text(unknown_page))
    assert len(sms_locmem) == 1, "only the known number got an SMS"
