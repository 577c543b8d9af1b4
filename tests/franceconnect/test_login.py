"""FranceConnect login against the real node oidc-provider: v2 and v1 profiles, tickets, attributes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cas_server.models import User

from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.staff.models import RouteLogin

pytestmark = pytest.mark.node


def validate(live_server, service: str, ticket: str) -> tuple[str, dict[str, list[str]]]:
    """CAS 3 serviceValidate: (user, attributes)."""
    xml = requests.get(
        f"{live_server.url}/cas/p3/serviceValidate", params={"service": service, "ticket": ticket}, timeout=10
    ).text
    user = re.search(r"<cas:user>([^<]*)</cas:user>", xml)
    assert user, xml
    attributes: dict[str, list[str]] = {}
    for name, value in re.findall(
        r"<cas:(\w+)>([^<]*)</cas:\1>", xml.split("<cas:attributes>")[1].split("</cas:attributes>")[0]
    ):
        attributes.setdefault(name, []).append(value)
    for volatile in ("authenticationDate", "longTermAuthenticationRequestTokenUsed", "isFromNewLogin"):
        attributes.pop(volatile, None)
    return user.group(1), attributes


def password_ticket(live_server, service: str, identifier: str, password: str) -> str:
    with requests.Session() as http:
        return _password_ticket(http, live_server, service, identifier, password)


def _password_ticket(http, live_server, service, identifier, password) -> str:
    # idpId preselects the "Élèves ou parents" profile of the portal: its form is the CAS form.
    page = http.get(f"{live_server.url}/cas/login", params={"service": service, "idpId": "educonnect"}, timeout=10).text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert "lt" in fields and fields.get("service") == service, fields
    response = http.post(
        f"{live_server.url}/cas/login",
        data={**fields, "username": identifier, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return parse_qs(urlsplit(response.headers["Location"]).query)["ticket"][0]


def test_authorize_request_is_franceconnect_shaped(fc, browser, service):
    query = parse_qs(urlsplit(browser.start(service)).query)
    assert query["response_type"] == ["code"] and query["client_id"] == ["fs-v2"]
    assert query["scope"] == ["openid given_name family_name birthdate email"]
    assert query["acr_values"] == ["eidas1"]
    for name in ("state", "nonce"):
        assert re.fullmatch(r"[0-9a-f]{64}", query[name][0]), name
    assert query["state"] != query["nonce"]
    assert query["redirect_uri"] == [f"{browser.base}/cas/franceconnect/callback"]


def test_linked_sub_gets_a_ticket_with_the_same_attributes_as_the_password_route(
    fc, browser, service, linked_account, live_server
):
    response = browser.login(service)
    ticket = browser.follow_to_service(response, service)
    user, attributes = validate(live_server, service, ticket)
    assert user == linked_account.identifier
    assert User.objects.filter(username=linked_account.identifier).count() == 1
    assert RouteLogin.objects.filter(username=user, route=LoginRoute.FRANCECONNECT).count() == 1

    other = password_ticket(live_server, service, linked_account.identifier, "Mdp-1234!")
    assert validate(live_server, service, other) == (user, attributes)
    assert attributes["uid"] == [linked_account.identifier]


def test_v1_profile_hs256_and_json_userinfo(use_v1, browser, service, linked_account, live_server):
    response = browser.login(service)
    assert validate(live_server, service, browser.follow_to_service(response, service))[0] == linked_account.identifier


def test_scope_is_configurable(fc, browser, settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_SCOPE = "openid identite_pivot"
    assert parse_qs(urlsplit(browser.start()).query)["scope"] == ["openid identite_pivot"]


def test_unlinked_sub_goes_to_the_first_link_flow(fc, browser, service):
    response = browser.login(service)
    assert response.status_code == 302 and response.headers["Location"].endswith("/cas/franceconnect/link")
    page = browser.get(response.headers["Location"])
    assert page.status_code == 200 and 'data-step="mobile"' in page.text
    assert User.objects.count() == 0


def test_outage_shows_french_page_with_other_routes(fc, browser, service):
    fc["proxy"].down = True
    response = browser.get("/cas/franceconnect/login", service=service)
    assert response.status_code == 503
    assert "FranceConnect est momentanément indisponible" in response.text
    assert f"/cas/login?service={requests.utils.quote(service, safe='')}" in response.text
    assert "Je n’ai pas d’identifiant" in response.text  # the SMS route too


def test_unreachable_provider_is_an_outage_not_a_500(fc, browser, settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_ISSUER = "http://127.0.0.1:9/api/v2"
    settings.CAS_EDUCONNECT_FRANCECONNECT_TIMEOUT = 1
    response = browser.get("/cas/franceconnect/login")
    assert response.status_code == 503 and 'data-reason="fetch_failed"' in response.text


def test_discovery_and_jwks_are_cached_between_logins(fc, browser, service, linked_account, live_server):
    from .conftest import Browser

    browser.follow_to_service(browser.login(service), service)
    second = Browser(live_server.url)
    second.follow_to_service(second.login(service), service)
    second.http.close()
    hits = fc["proxy"].hits
    assert hits["/api/v2/.well-known/openid-configuration"] == 1 and hits["/api/v2/jwks"] == 1
    assert hits["/api/v2/token"] == 2 and hits["/api/v2/userinfo"] == 2
