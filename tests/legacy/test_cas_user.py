"""A legacy account's CAS user is its historical spelling on every protocol, whatever case is typed."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import cas as python_cas
import pytest
from cas_server.models import User as CasUser
from django.contrib.auth.hashers import make_password
from django.db import connection

from cas_educonnect.attributes import release
from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.staff.models import RouteLogin
from cas_educonnect.staff.portal import portal_for

from .helpers import SERVICE, login_page, post_credentials, ticket_of, validate
from .test_switch import walk_switch

SAML = {"saml": "urn:oasis:names:tc:SAML:1.0:assertion"}
PROTOCOLS = ["validate", "serviceValidate", "p3/serviceValidate", "samlValidate"]
LEGACY_ATTRIBUTE = "ENTPersonLogin"  # CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE's default


def cas_user(client, protocol: str, ticket: str) -> tuple[str, dict[str, list[str]]]:
    """The CAS user (and attributes, none for CAS 1) a service gets by validating ``ticket``."""
    if protocol == "p3/serviceValidate":
        return validate(client, ticket)
    if protocol == "validate":
        body = client.get("/cas/validate?" + urlencode({"ticket": ticket, "service": SERVICE})).content.decode()
        assert body.startswith("yes\n"), body
        return body.split("\n")[1], {}
    if protocol == "serviceValidate":
        response = client.get("/cas/serviceValidate?" + urlencode({"ticket": ticket, "service": SERVICE}))
        root = ET.fromstring(response.content)
        ns = {"cas": "http://www.yale.edu/tp/cas"}
        attributes: dict[str, list[str]] = {}
        for element in root.findall("cas:authenticationSuccess/cas:attributes/*", ns):
            attributes.setdefault(element.tag.split("}", 1)[1], []).append(element.text or "")
        return root.find("cas:authenticationSuccess/cas:user", ns).text, attributes
    body = python_cas.CASClientWithSAMLV1.get_saml_assertion(ticket)
    response = client.post("/cas/samlValidate?TARGET=" + SERVICE, body, content_type="text/xml")
    root = ET.fromstring(response.content)
    name = root.find(".//saml:AuthenticationStatement/saml:Subject/saml:NameIdentifier", SAML)
    assert name is not None, response.content
    attributes = {
        a.get("AttributeName"): [v.text or "" for v in a.findall("saml:AttributeValue", SAML)]
        for a in root.iter("{urn:oasis:names:tc:SAML:1.0:assertion}Attribute")
    }
    return name.text, attributes


def legacy_login(client, username: str, password: str = "secret"):
    return post_credentials(client, login_page(client, idpId="autres-publics"), username, password)


@pytest.fixture
def teacher(legacy_factory):
    return legacy_factory(identifier="JDupont", category="teacher")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("typed", ["jdupont", "JDUPONT", " JDupont "])
def test_legacy_cas_user_keeps_the_historical_spelling(client, demo_service, teacher, protocol, typed):
    ticket = ticket_of(legacy_login(client, typed))
    user, attributes = cas_user(client, protocol, ticket)
    assert user == "JDupont"
    if protocol != "validate":  # CAS 1 carries no attributes
        assert attributes[LEGACY_ATTRIBUTE] == attributes["uid"] == ["JDupont"]
    # The next service of the same SSO session gets the same user.
    assert cas_user(client, protocol, ticket_of(login_page(client)))[0] == "JDupont"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_aten_account_keeps_its_normalized_identifier(client, demo_service, account_factory, protocol):
    account = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, password=make_password("secret"))
    ticket = ticket_of(legacy_login(client, account.identifier.upper()))
    assert cas_user(client, protocol, ticket)[0] == account.identifier


def test_the_spelling_costs_no_query_on_the_ticket_path(
    client, demo_service, teacher, django_assert_num_queries, django_assert_max_num_queries
):
    ticket_of(legacy_login(client, "jdupont"))
    assert CasUser.objects.get().username == "JDupont"
    with django_assert_max_num_queries(11):  # the SSO ticket issuance bound of tests/attributes
        ticket = ticket_of(login_page(client))
    # PostgreSQL: one statement; others: the claim, then the ticket with its pattern and user.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert validate(client, ticket)[0] == "JDupont"


def test_a_session_opened_with_the_lowercased_name_keeps_working(client, demo_service, teacher):
    """SSO sessions opened before the historical spelling was kept: same user until they end."""
    ticket_of(legacy_login(client, "jdupont"))
    session = client.session
    session["username"] = "jdupont"
    session.save()
    CasUser.objects.filter(session_key=session.session_key).update(username="jdupont")
    user, attributes = validate(client, ticket_of(login_page(client)))
    assert user == "jdupont"
    assert attributes == release("JDupont") and attributes[LEGACY_ATTRIBUTE] == ["JDupont"]
    client.get("/cas/logout")
    assert validate(client, ticket_of(legacy_login(client, "jdupont")))[0] == "JDupont"


def test_statistics_and_portal_find_the_account_from_the_cas_user(client, demo_service, teacher):
    ticket_of(legacy_login(client, "JDUPONT"))
    client.get("/cas/logout")
    ticket_of(legacy_login(client, "jdupont"))
    # Keyed by identifier, like the staff statistics that join on Account.identifier.
    assert list(RouteLogin.objects.values_list("username", flat=True)) == ["jdupont", "jdupont"]
    assert RouteLogin.objects.filter(route=LoginRoute.LEGACY).count() == 2
    assert portal_for("JDupont") == portal_for("jdupont")


def test_switch_makes_the_educonnect_identifier_the_cas_user_and_keeps_the_legacy_attribute(
    client, demo_service, legacy_factory, pupil_factory
):
    pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    legacy = legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")
    assert legacy_login(client, "lmartin")["Location"] == "/cas/legacy/bascule/proposition/"  # the switch offer
    later = client.post("/cas/legacy/bascule/proposition/", {"later": "1"})
    before_user, before = validate(client, ticket_of(client.get(later["Location"])))
    assert before_user == "LMartin" and before[LEGACY_ATTRIBUTE] == ["LMartin"]
    client.get("/cas/logout")
    start = client.post("/cas/legacy/bascule/", {"username": "LMARTIN", "password": "secret", "service": SERVICE})
    assert start.status_code == 302
    identifier, done = walk_switch(client, ["2012-03-14"])
    after_user, after = validate(client, ticket_of(client.get(done["Location"])))
    assert after_user == identifier == "lea.martin"
    assert after[LEGACY_ATTRIBUTE] == ["LMartin"]
    assert Account.objects.get(pk=legacy.pk).state == AccountState.CLOSED
    # Later logins with the EduConnect identifier, in any case, give the same CAS user.
    client.get("/cas/logout")
    assert validate(client, ticket_of(legacy_login(client, "Lea.Martin", "nouveau-mdp-2026")))[0] == "lea.martin"


def test_cas_username_never_uses_a_spelling_that_does_not_find_the_account(db):
    legacy = Account(identifier="jdupont", kind=AccountKind.LEGACY, legacy_identifier="JDupont")
    assert legacy.cas_username == "JDupont"
    assert Account(identifier="jdupont", kind=AccountKind.LEGACY, legacy_identifier="").cas_username == "jdupont"
    assert Account(identifier="jdupont", kind=AccountKind.LEGACY, legacy_identifier="Other").cas_username == "jdupont"
    switched = Account(identifier="lea.martin", kind=AccountKind.PUPIL, legacy_identifier="LMartin")
    assert switched.cas_username == "lea.martin"
