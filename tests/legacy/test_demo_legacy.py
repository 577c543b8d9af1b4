"""The demo's legacy teacher and switchable legacy parent work as the README says."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from cas_educonnect.demo.legacy import PARENT, TEACHER
from cas_educonnect.models import Account, AccountState

from .helpers import login_page, post_credentials, ticket_of, validate


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("educonnect_demo", "--json", "--base-url", "http://testserver", stdout=out)
    return json.loads(out.getvalue())


def test_demo_lists_the_legacy_personas(demo):
    accounts = {a["identifier"]: a for a in demo["accounts"]}
    assert accounts[TEACHER[0]]["password"] == TEACHER[1]
    assert accounts[PARENT[0]]["route"] == "autres-publics"


def test_demo_teacher_logs_in_on_autres_publics_and_parent_switches(client, demo):
    page = login_page(client, idpId="autres-publics")
    user, _attributes = validate(client, ticket_of(post_credentials(client, page, TEACHER[0], TEACHER[1])))
    assert user == TEACHER[0]  # the CAS user is the historical identifier, as the ENT spelled it
    assert Account.objects.get(identifier="mdurand").password.startswith("argon2$")  # upgraded at login
    client.logout()
    start = client.post("/cas/legacy/bascule/", {"username": PARENT[0], "password": PARENT[1]})
    assert start["Location"].endswith("/confirmation/")
    client.post("/cas/legacy/bascule/confirmation/", {"confirm": "1"})
    page = client.get("/cas/legacy/bascule/naissance/")
    (field,) = page.context["form"].fields
    client.post("/cas/legacy/bascule/naissance/", {field: "20/05/2011"})
    client.post(
        "/cas/legacy/bascule/mot-de-passe/", {"new_password1": "Bascule-2026!", "new_password2": "Bascule-2026!"}
    )
    identifier = client.get("/cas/legacy/bascule/termine/").context["identifier"]
    assert identifier.startswith("pierre.moreau")  # numbered if the demo academy has a namesake
    assert Account.objects.get(identifier="pmoreau").state == AccountState.CLOSED
    assert Account.objects.get(identifier=identifier).legacy_identifier == "PMoreau"


def test_demo_without_legacy_hashers_says_so(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("educonnect_demo", "--base-url", "http://testserver", stdout=out)
    assert "Legacy route demo skipped" in out.getvalue()
    assert not Account.objects.filter(identifier="mdurand").exists()
