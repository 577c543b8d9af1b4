"""No 500 on bad input: every URL × every parameter its view reads × hostile values, GET and POST.

The parameters are not listed by hand: a first, benign request to each URL records every
name its view (its forms, the host) looks up in ``request.GET``/``request.POST``, and the
names of the CAS protocol are added. Each name then gets each hostile value, the others
keeping a plausible one, anonymous and with an SSO session open. An XML answer must parse
(lxml) and, for a value the guard refuses, carry the protocol's error code; CAS 1 answers
``no``; anything else may refuse (400) or show its own page, never a 500.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.http import QueryDict
from lxml import etree

from cas_educonnect.host import badinput

from .conftest import SERVICE, login
from .routes import walk

#: Values the guard refuses (invalid UTF-8 is sent raw, see :func:`encode`).
REFUSED = {
    "nul": "ST-a\x00b",
    "control": "ST-a\x01\x1bb\x7f",
    "utf8": "%ff%fe",
    "huge": "x" * 1_000_000,
}
#: Values the views see: odd dates, numbers, malformed tickets.
ODD = {
    "zero-date": "0000-00-00",
    "last-date": "9999-12-31",
    "feb-30": "2013-02-30",
    "minus-one": "-1",
    "ticket": "abc",
}
HOSTILE = {**REFUSED, **ODD}

#: What the protocol endpoints read, with a plausible value each.
CAS_PARAMETERS = {"ticket": "ST-unknown", "service": SERVICE, "pgt": "PGT-unknown", "targetService": SERVICE}
CAS_PARAMETERS |= {"pgtUrl": SERVICE, "renew": "true", "gateway": "true", "TARGET": SERVICE, "url": SERVICE}
XML = {"serviceValidate", "proxyValidate", "p3_serviceValidate", "p3_proxyValidate", "proxy", "samlValidate"}
PROTOCOL = XML | {"validate", "login", "logout", "auth"}
CODES = {"INVALID_TICKET", "INVALID_REQUEST", "INVALID_SERVICE"}

ROUTES = walk()
SITE = [r for r in ROUTES if not r.path.startswith("/admin/")]
ADMIN = [r for r in ROUTES if r.path.startswith("/admin/")]


@contextlib.contextmanager
def recorded_names() -> Iterator[set[str]]:
    """The names looked up in any QueryDict (GET, POST) within the block."""
    names: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")}

    def recording(method):
        def wrapper(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                names.add(key)
            return method(self, key, *args, **kwargs)

        return wrapper

    for name, method in originals.items():
        setattr(QueryDict, name, recording(method))
    try:
        yield names
    finally:
        for name, method in originals.items():
            setattr(QueryDict, name, method)


def parameters_of(client, route) -> list[str]:
    """Every parameter name the view at ``route`` reads on a benign GET and POST (CAS's own for its endpoints)."""
    with recorded_names() as names:
        client.get(route.path, {"service": SERVICE})
        client.post(route.path, {"service": SERVICE})
    names = (names - {"csrfmiddlewaretoken"}) | {"service"}
    if route.name.removeprefix("cas_server:") in PROTOCOL:
        names |= set(CAS_PARAMETERS)
    return sorted(names)


def encode(params: dict[str, str]) -> str:
    """``params`` url-encoded, the raw ``%ff`` kept as is (invalid UTF-8 on the wire)."""
    return "&".join(f"{quote(k)}={v if v == REFUSED['utf8'] else quote(v, safe='')}" for k, v in params.items())


def check(route, response, name: str, value_id: str, failures: list) -> None:
    where = f"{route.path} {response.request['REQUEST_METHOD']} {name}={value_id}"
    if response.status_code == 500:
        failures.append(f"{where}: HTTP {response.status_code}")
        return
    if response.status_code == 405:
        return  # the view does not serve the method (validate, samlValidate GET): an empty refusal
    url_name = route.name.removeprefix("cas_server:")
    if url_name == "validate":
        if response.content != b"no\n":
            failures.append(f"{where}: CAS 1 answered {response.content[:40]!r}")
        return
    if "xml" not in response.get("Content-Type", "") and url_name not in XML:
        return
    try:
        root = etree.fromstring(response.content)
    except etree.XMLSyntaxError as error:
        failures.append(f"{where}: malformed XML ({error})")
        return
    if value_id in REFUSED and url_name in badinput.XML_ENDPOINTS:
        codes = {e.get("code") for e in root.iter("{http://www.yale.edu/tp/cas}authenticationFailure")}
        if not codes or not codes <= CODES:
            failures.append(f"{where}: error codes {codes}")


def walk_route(client, route, values: dict[str, str], failures: list, relogin=None) -> None:
    client.raise_request_exception = False
    for index, name in enumerate(parameters_of(client, route)):
        for value_id, value in values.items():
            if value_id == "huge" and index:
                continue  # refused before any view reads it: one parameter per URL is enough
            if relogin is not None:
                relogin()
            params = {**{k: v for k, v in CAS_PARAMETERS.items() if k in ("service", "ticket")}, name: value}
            query = encode(params)
            check(route, client.get(f"{route.path}?{query}"), name, value_id, failures)
            response = client.post(route.path, query, content_type="application/x-www-form-urlencoded")
            check(route, response, name, value_id, failures)


@pytest.fixture
def session(client, active_account):
    """Re-open the SSO session whenever a request (logout, a refusal) closed it."""

    def relogin() -> None:
        if not client.session.get("authenticated"):
            login(client, active_account.identifier)

    return relogin


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
@pytest.mark.parametrize("route", SITE, ids=[r.path for r in SITE])
def test_no_500_on_hostile_input(client, service_pattern, session, route, logged_in):
    failures: list[str] = []
    walk_route(client, route, HOSTILE, failures, relogin=session if logged_in else None)
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_no_500_on_the_admin(client, service_pattern, session, logged_in):
    """Every admin URL with a sample of values (the admin answers a login page to both)."""
    failures: list[str] = []
    sample = {key: HOSTILE[key] for key in ("nul", "utf8", "zero-date")}
    for route in ADMIN:
        walk_route(client, route, sample, failures, relogin=session if logged_in else None)
    assert not failures, "\n".join(failures[:20])


def test_the_reported_requests(client, service_pattern, active_account):
    """Issue 13: a ticket without ``ST-``, a NUL in ``service``, a control character in the XML."""
    client.raise_request_exception = False
    assert client.get("/cas/validate", {"ticket": "abc", "service": SERVICE}).content == b"no\n"
    assert client.get("/cas/validate", {"ticket": "ST-abc", "service": SERVICE + "\x00"}).content == b"no\n"
    answer = client.get("/cas/serviceValidate", {"ticket": "ST-a\x01bc", "service": SERVICE})
    failure = etree.fromstring(answer.content)[0]
    assert failure.get("code") == "INVALID_TICKET"
    answer = client.get("/cas/p3/serviceValidate", {"ticket": "ST-abc", "service": SERVICE + "\x00"})
    assert etree.fromstring(answer.content)[0].get("code") == "INVALID_SERVICE"
    login(client, active_account.identifier)
    refused = client.get("/cas/login", {"service": SERVICE + "\x00"})
    assert refused.status_code == 400 and "Requête invalide".encode() in refused.content
    assert client.get("/cas/login?" + urlencode({"service": SERVICE}))["Location"].startswith(SERVICE)


def test_the_guard_lets_ordinary_input_through(client, service_pattern, active_account):
    """Tabs and line breaks, accents, long but bounded values: nothing refused."""
    assert badinput.bad_value("Léa\tMartin\r\n", 8192) is None
    assert badinput.bad_value("x" * 8192, 8192) is None
    assert badinput.bad_value("x" * 8193, 8192) == "length"
    assert badinput.bad_value("a\x00", 8192) == "control"
    assert badinput.bad_value("a\ufffd", 8192) == "encoding"
    response = login(client, active_account.identifier, service=SERVICE)
    assert response["Location"].startswith(SERVICE + "?ticket=ST-")
