"""The demo: idempotent command, and the demo ENT validating a real ticket over HTTP."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from cas_educonnect.models import AccountState

PASSWORD = "Demo-Password-2026"


def _rows() -> dict[str, list]:
    """Every row of every model, by primary key (what "same rows" means)."""
    return {
        model._meta.label: sorted(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin"}
    }


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("educonnect_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_command_is_idempotent():
    first_json = json.loads(_demo("--json"))
    first_rows = _rows()
    second_json = json.loads(_demo("--json"))
    assert _rows() == first_rows
    assert second_json == first_json
    assert first_json["demo_service_url"] == "http://127.0.0.1:8000/demo-ent/"
    assert first_json["accounts"], "the demo prints no account"
    for account in first_json["accounts"]:
        assert {"identifier", "password", "state", "persona"} <= set(account)


@pytest.mark.django_db
def test_demo_base_url_registers_the_service_there():
    from cas_server.models import ServicePattern

    payload = json.loads(_demo("--json", "--base-url", "http://localhost:8123/"))
    assert payload["demo_service_url"] == "http://localhost:8123/demo-ent/"
    ServicePattern.validate("http://localhost:8123/demo-ent/")
    with pytest.raises(ServicePattern.DoesNotExist):
        ServicePattern.validate("http://localhost:8124/demo-ent/")


def _form_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def test_demo_ent_validates_its_ticket_over_http(live_server, account_factory, settings):
    settings.CAS_EDUCONNECT_LOGIN_STEPS = []  # the CAS round trip only, no feature step
    _demo("--base-url", live_server.url)
    account = account_factory(state=AccountState.ACTIVE, password=make_password(PASSWORD))
    browser = requests.Session()

    # The ENT sends the browser to the CAS login page with itself as service.
    page = browser.get(f"{live_server.url}/demo-ent/", timeout=30)
    assert page.status_code == 200 and urlparse(page.url).path == "/cas/login"
    service = parse_qs(urlparse(page.url).query)["service"][0]
    assert service == f"{live_server.url}/demo-ent/"
    # "Indiquez votre profil": the person picks "Élèves ou parents".
    page = browser.get(page.url, params={"idpId": "educonnect"}, timeout=30)

    form = _form_fields(page.text)
    form.update(username=account.identifier, password=PASSWORD)
    form.pop("warn", None)
    ticketed = browser.post(page.url, data=form, allow_redirects=False, timeout=30)
    assert ticketed.status_code == 302
    assert ticketed.headers["Location"].startswith(service + "?ticket=ST-")

    # The ENT validates the ticket with python-cas over HTTP (/cas/p3/serviceValidate).
    home = browser.get(ticketed.headers["Location"], timeout=30)
    assert home.status_code == 200, home.text[:500]
    assert f'<strong id="cas-user">{account.identifier}</strong>' in home.text
    assert "Attributs reçus du serveur CAS" in home.text
    assert '<th scope="row">' in home.text, "no attribute released to the demo ENT"

    # Replaying the ticket at the ENT fails: it was consumed by the first validation.
    replay = requests.get(ticketed.headers["Location"], timeout=30)
    assert replay.status_code == 403
