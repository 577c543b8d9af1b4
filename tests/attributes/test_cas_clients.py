"""Real CAS clients (python-cas) validate tickets over HTTP and see the attributes exactly."""

from __future__ import annotations

import cas as python_cas
import pytest

from cas_educonnect.attributes import release

from .cas_helpers import ENT, cas_login, ticket_of

PROTOCOL = {"authenticationDate", "longTermAuthenticationRequestTokenUsed", "isFromNewLogin"}


def as_python_cas_sees(attributes: dict[str, list[str]]) -> dict[str, object]:
    """python-cas gives a string for one value and a list for several."""
    return {name: values[0] if len(values) == 1 else values for name, values in attributes.items()}


@pytest.mark.parametrize("version", [2, 3, "CAS_2_SAML_1_0"])
@pytest.mark.parametrize("identifier", ["paul.martin", "ines.durand"])
def test_python_cas_sees_every_value(version, identifier, live_server, client, cas):
    expected = release(identifier)
    ticket = ticket_of(cas_login(client, identifier))
    cas_client = python_cas.CASClient(version=version, service_url=ENT, server_url=f"{live_server.url}/cas/")
    user, attributes, _pgtiou = cas_client.verify_ticket(ticket)
    assert user == identifier
    received = {k: v for k, v in attributes.items() if k not in PROTOCOL}
    assert received == as_python_cas_sees(expected)
    if identifier == "paul.martin":
        assert received["FrEduVecteur"] == [
            "1|Martin|Paul|1003|0790001A",
            "2|Martin|Paul|7001|0790031E",
            "2|Martin|Paul|7002|0790031E",
        ]
    # A ticket is good once.
    assert cas_client.verify_ticket(ticket)[0] is None


def test_cas1_gives_the_account_identifier(live_server, client, cas):
    ticket = ticket_of(cas_login(client, "paul.martin"))
    cas_client = python_cas.CASClient(version=1, service_url=ENT, server_url=f"{live_server.url}/cas/")
    user, attributes, _ = cas_client.verify_ticket(ticket)
    assert user == "paul.martin" and attributes is None  # CAS 1 carries no attributes


def test_joint_account_chosen_person_over_saml_and_cas3(live_server, client, cas):
    luc = cas.joint.representatives.get(first_name="Luc")
    for version in (3, "CAS_2_SAML_1_0"):
        client.logout()
        cas_login(client, "marie.bernard")
        response = client.get(client.post("/cas/choix-du-profil", {"person": f"r{luc.pk}"})["Location"])
        cas_client = python_cas.CASClient(version=version, service_url=ENT, server_url=f"{live_server.url}/cas/")
        user, attributes, _ = cas_client.verify_ticket(ticket_of(response))
        assert user == "marie.bernard"
        assert attributes["FrEduVecteur"] == "2|Bernard|Luc|7100|0790031E"
        assert attributes["givenName"] == "Luc"
        assert attributes["ENTPersonJointure"] == "AC-DEMO$RES-LUC"


@pytest.mark.parametrize(
    "body",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
)
def test_saml_validate_rejects_bad_bodies_cleanly(client, body, db):
    response = client.post("/cas/samlValidate?TARGET=" + ENT, body, content_type="text/xml")
    assert response.status_code == 200
    text = response.content.decode()
    assert "VersionMismatch" in text and "root:" not in text
