"""Open redirects: logout ?service=/?url= and gateway logins follow registered services only."""

from __future__ import annotations

import pytest

from cas_educonnect.core.redirects import is_allowed_redirect

from .conftest import SERVICE, login

EVIL = "https://evil.example.net/phish"


def test_is_allowed_redirect(service_pattern, settings):
    assert is_allowed_redirect(SERVICE)
    assert is_allowed_redirect(SERVICE + "page?x=1")
    assert not is_allowed_redirect(EVIL)
    assert not is_allowed_redirect("https://ent.example.test.evil.net/")
    assert not is_allowed_redirect("")
    assert not is_allowed_redirect(None)
    settings.CAS_EDUCONNECT_STRICT_REDIRECTS = False
    assert is_allowed_redirect(EVIL)


@pytest.mark.parametrize("param", ["service", "url"])
def test_logout_refuses_unregistered_targets(client, service_pattern, active_account, param):
    login(client, active_account.identifier)
    response = client.get("/cas/logout", {param: EVIL})
    assert response.status_code == 200
    assert EVIL.encode() not in response.content
    assert b"fr-alert--success" in response.content
    assert not client.session.get("authenticated")


@pytest.mark.parametrize("param", ["service", "url"])
def test_logout_follows_registered_services(client, service_pattern, active_account, param):
    login(client, active_account.identifier)
    response = client.get("/cas/logout", {param: SERVICE})
    assert response.status_code == 302
    assert response["Location"] == SERVICE


def test_logout_falls_back_to_an_allowed_url(client, service_pattern):
    response = client.get("/cas/logout", {"service": EVIL, "url": SERVICE})
    assert response.status_code == 302 and response["Location"] == SERVICE


def test_gateway_to_unknown_service_when_logged_in_stays_here(client, service_pattern, active_account):
    login(client, active_account.identifier)
    response = client.get("/cas/login", {"service": EVIL, "gateway": "true"})
    assert response.status_code == 200
    assert "Location" not in response
    assert b"fr-header" in response.content


def test_gateway_to_registered_service_still_works(client, service_pattern, active_account):
    # Not logged in: the host sends the browser back without a ticket (CAS gateway).
    response = client.get("/cas/login", {"service": SERVICE, "gateway": "true"})
    assert response.status_code == 302 and response["Location"] == SERVICE
    login(client, active_account.identifier)
    response = client.get("/cas/login", {"service": SERVICE, "gateway": "true"})
    assert response.status_code == 302 and response["Location"].startswith(SERVICE + "?ticket=ST-")


def test_not_strict_restores_host_behaviour(client, service_pattern, active_account, settings):
    settings.CAS_EDUCONNECT_STRICT_REDIRECTS = False
    response = client.get("/cas/logout", {"service": EVIL})
    assert response.status_code == 302 and response["Location"] == EVIL
