"""Hostile parameters over real HTTP (gunicorn, PostgreSQL, Redis): the protocol's error, never a 500."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from bench.load.fixtures import OUR_SERVICES

SERVICE = OUR_SERVICES[0]
CAS = "{http://www.yale.edu/tp/cas}"
# Raw query values: what a client can put on the wire, percent-encoded or not.
HOSTILE = ["%00", "a%00b", "%01%02%1b", "%ff%fe", "%c3%28", "x" * 3000, "x" * 20000, "0000-00-00", "-1", "ST-%00"]
XML_ENDPOINTS = ["serviceValidate", "proxyValidate", "p3/serviceValidate", "p3/proxyValidate", "proxy"]
#: gunicorn itself refuses a request line past 4,094 bytes (before Django); the guard's
#: own limit (CAS_EDUCONNECT_MAX_PARAMETER_LENGTH) serves POST bodies and other front ends.
REQUEST_LINE_LIMIT = 4094
#: What gunicorn answers past it: 400 in older releases, 414 (URI Too Long) in recent ones.
SERVER_REFUSALS = (400, 414)


def too_long_for_gunicorn(path_and_query: str) -> bool:
    return len(f"GET {path_and_query} HTTP/1.1") > REQUEST_LINE_LIMIT


@pytest.mark.parametrize("value", HOSTILE)
def test_validation_endpoints_answer_their_protocol_error(live_server_url, value):
    queries = (
        f"ticket={value}&service={SERVICE}",
        f"ticket=ST-abc&service={value}",
        f"pgt={value}&targetService={value}",
    )
    for endpoint in ["validate", *XML_ENDPOINTS]:
        for query in queries:
            target = f"/cas/{endpoint}?{query}"
            response = requests.get(live_server_url + target, timeout=30)
            assert response.status_code < 500, (endpoint, query[:80], response.status_code)
            if too_long_for_gunicorn(target):
                assert response.status_code in SERVER_REFUSALS
            elif endpoint == "validate":
                assert response.text == "no\n", (endpoint, query[:80])
            else:
                root = etree.fromstring(response.content)  # well-formed XML, whatever came in
                failure = root.find(f".//{CAS}authenticationFailure")
                if failure is None:
                    failure = root.find(f".//{CAS}proxyFailure")
                assert failure is not None, (endpoint, query[:80], response.text[:300])


@pytest.mark.parametrize("value", HOSTILE)
def test_pages_answer_a_page_not_a_500(live_server_url, value):
    session = requests.Session()
    for path in ("/cas/login", "/cas/logout", "/cas/aten/lost-password/", "/cas/inscription-sms/", "/admin/login/"):
        for name in ("service", "idpId", "next", "renew", "gateway"):
            target = f"{path}?{name}={value}"
            response = session.get(live_server_url + target, timeout=30, allow_redirects=False)
            assert response.status_code in (200, 302, *SERVER_REFUSALS), (path, name, response.status_code)
    saml = requests.post(f"{live_server_url}/cas/samlValidate?TARGET={SERVICE}", data=b"<x>\x00</x>", timeout=30)
    assert saml.status_code < 500
