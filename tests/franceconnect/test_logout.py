"""CAS logout of a FranceConnect session ends the FranceConnect session too (RP-initiated logout)."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas_server.models import User

pytestmark = pytest.mark.node


def logged_in(browser, service) -> None:
    browser.follow_to_service(browser.login(service), service)
    assert User.objects.count() == 1


def provider_session_alive(browser, service) -> bool:
    """True when FranceConnect sends us straight back (its SSO session and grant still exist)."""
    authorize = browser.start(service)
    first = browser.http.get(authorize, allow_redirects=False, timeout=15).headers["Location"]
    return first.startswith(browser.base)


def test_logout_goes_through_franceconnect_then_finishes_cas_logout(fc, browser, service, linked_account):
    logged_in(browser, service)
    response = browser.get("/cas/logout", service=service)
    assert response.status_code == 302
    end_session = urlsplit(response.headers["Location"])
    assert end_session.path == "/api/v2/session/end"
    query = {k: v[0] for k, v in parse_qs(end_session.query).items()}
    assert query["post_logout_redirect_uri"] == f"{browser.base}/cas/franceconnect/logout-callback"
    assert len(query["state"]) == 64 and query["id_token_hint"].count(".") == 2
    assert User.objects.count() == 1  # not logged out of CAS before FranceConnect answers

    back = browser.through_provider(response.headers["Location"])
    assert parse_qs(urlsplit(back).query)["state"] == [query["state"]]
    response = browser.get(back)
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/cas/logout?{urlencode({'service': service})}"
    )
    response = browser.get(response.headers["Location"])
    assert response.status_code == 302 and response.headers["Location"] == service
    assert User.objects.count() == 0
    assert not provider_session_alive(browser, service)


def test_without_logout_the_provider_session_is_alive(fc, browser, service, linked_account):
    """Control for the last assertion above: the probe does see a live FranceConnect session."""
    logged_in(browser, service)
    assert provider_session_alive(browser, service)


def test_logout_callback_with_a_wrong_state_logs_nobody_out(fc, browser, service, linked_account):
    logged_in(browser, service)
    browser.get("/cas/logout")
    response = browser.get("/cas/franceconnect/logout-callback", state=secrets.token_hex(32))
    assert response.status_code == 400 and "toujours connecté" in response.text
    assert User.objects.count() == 1


def test_logout_callback_without_pending_logout(fc, browser):
    response = browser.get("/cas/franceconnect/logout-callback", state=secrets.token_hex(32))
    assert response.status_code == 400


def test_cas_logout_of_other_routes_does_not_touch_franceconnect(fc, browser, service, linked_account, live_server):
    from .test_login import _password_ticket

    _password_ticket(browser.http, live_server, service, linked_account.identifier, "Mdp-1234!")
    assert User.objects.count() == 1
    response = browser.get("/cas/logout")
    assert response.status_code == 200 and User.objects.count() == 0
    assert fc["proxy"].hits["/api/v2/session/end"] == 0


def test_logout_when_franceconnect_is_down_still_logs_out_of_cas(fc, browser, service, linked_account):
    from django.core.cache import cache

    logged_in(browser, service)
    cache.clear()
    fc["proxy"].down = True
    response = browser.get("/cas/logout")
    assert response.status_code == 200 and User.objects.count() == 0


def test_v1_logout_uses_the_configured_end_session_endpoint(use_v1, browser, service, linked_account):
    logged_in(browser, service)
    response = browser.get("/cas/logout")
    assert response.headers["Location"].startswith(use_v1["issuer"] + "/session/end?")
    response = browser.get(browser.through_provider(response.headers["Location"]))
    assert browser.get(response.headers["Location"]).status_code == 200
    assert User.objects.count() == 0
