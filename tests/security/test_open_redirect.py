"""No open redirect: every URL, every redirecting parameter, anonymous and logged in, GET and POST.

A hostile value may be dropped or refused; it must never become the ``Location`` of the
answer. Registered services still get their redirect (the last test), so the table is not
vacuous.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import SERVICE, login
from .routes import walk

PARAMETERS = ("service", "url", "next", "redirect_uri")
HOSTILE = (
    "https://evil.example.net/x",
    "//evil.example.net/x",
    "https://ent.example.test.evil.example.net/portal/",  # a registered prefix, another host
    "javascript:alert(1)",
)
ROUTES = [r for r in walk() if r.name != "cas_server:auth"]


def assert_not_redirected_away(response, value: str) -> None:
    location = response.get("Location", "")
    if not location:
        return
    target = urlparse(location)
    assert target.netloc in ("", "testserver", urlparse(SERVICE).netloc), f"redirected to {location} for {value}"
    assert target.scheme in ("", "http", "https"), location
    if target.netloc == urlparse(SERVICE).netloc:
        assert location.startswith(SERVICE), location


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
def test_no_route_redirects_to_a_hostile_value(client, service_pattern, active_account, route, logged_in):
    if logged_in:
        login(client, active_account.identifier)
    for name in PARAMETERS:
        for value in HOSTILE:
            for method in (client.get, client.post):
                assert_not_redirected_away(method(route.path, {name: value}), f"{route.path}?{name}={value}")


def test_registered_services_are_still_followed(client, service_pattern, active_account):
    response = login(client, active_account.identifier, service=SERVICE)
    assert response["Location"].startswith(SERVICE + "?ticket=ST-")
    assert client.get("/cas/login", {"service": SERVICE})["Location"].startswith(SERVICE + "?ticket=ST-")
    assert client.get("/cas/logout", {"service": SERVICE})["Location"] == SERVICE
