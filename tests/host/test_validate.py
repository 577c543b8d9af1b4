"""CAS 2/3 validation: the success document we write is the host template's, byte for byte."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from cas_educonnect.host import validate

from .conftest import SERVICE, login

HOSTILE = ["a&b", "<x>", '"quoted"', "l'école", "é\u00a0ü", "]]>", ""]


def host_document(username, attributes, proxies, auth_date, new):
    params = {"username": username, "attributes": attributes, "proxies": proxies, "auth_date": auth_date}
    return render_to_string(validate.TEMPLATE, {**params, "is_new_login": new})


@pytest.mark.parametrize("proxies", [[], ["https://p1.example.test/?a=1&b=2", "<p2>"]])
@pytest.mark.parametrize("new", ["true", "false"])
def test_success_document_is_the_host_templates(proxies, new):
    attributes = [(f"k{i}", value) for i, value in enumerate(HOSTILE)] + [("FrEduVecteur", "2|X|1|2|0790031E")]
    attributes += [("n", 12345), ("f", 1.5), ("d", datetime.date(2026, 9, 1)), ("none", None), ("b", True)]
    args = ("jean.o'neil&<co>", attributes, proxies, "2026-12-03T10:00:00+00:00", new)
    assert validate.success(*args) == host_document(*args)


def test_success_document_without_attributes_is_the_host_templates():
    args = ("u", [], [], "2026-12-03T10:00:00", "false")
    assert validate.success(*args) == host_document(*args)


def test_validation_answers_the_host_document(client, service_pattern, active_account, settings):
    response = login(client, active_account.identifier, service=SERVICE)
    ticket = response["Location"].split("ticket=")[1]
    response = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE})
    assert response["Content-Type"] == validate.CONTENT_TYPE
    body = response.content.decode()
    assert "<cas:authenticationSuccess>" in body and f"<cas:user>{active_account.identifier}</cas:user>" in body
    # Replayed: the host's error document.
    again = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE}).content.decode()
    assert 'code="INVALID_TICKET"' in again


def test_a_project_template_is_used_when_there_is_one(client, service_pattern, active_account, settings, tmp_path):
    override = tmp_path / "cas_server"
    override.mkdir()
    (override / "serviceValidate.xml").write_text("<custom>{{ username }}</custom>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    validate.host_template_in_use.cache_clear()
    try:
        response = login(client, active_account.identifier, service=SERVICE)
        ticket = response["Location"].split("ticket=")[1]
        body = client.get("/cas/serviceValidate", {"ticket": ticket, "service": SERVICE}).content.decode()
        assert body == f"<custom>{active_account.identifier}</custom>"
    finally:
        validate.host_template_in_use.cache_clear()
