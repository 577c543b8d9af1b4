"""CSRF: a POST without token is refused (403) on every URL of the project but two CAS protocol endpoints.

The URLs come from the resolver (:mod:`.routes`): a new view is covered without being listed.
The allow-list names the CSRF-exempt endpoints and why each is safe.
"""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import PASSWORD_FIXTURE, SERVICE, login  # noqa: F401
from .routes import walk

#: URL names reachable by POST without a CSRF token, and what protects them instead.
CSRF_EXEMPT = {
    # CAS protocol: POSTed by services, server to server (no browser cookie to ride on).
    "cas_server:samlValidate": "SAML 1.1 validation: the ticket in the POSTed envelope is the credential",
    "cas_server:auth": "the host's auth endpoint: refused without CAS_AUTH_SHARED_SECRET",
}

ROUTES = walk()


def test_the_walk_sees_every_feature():
    paths = {route.path for route in ROUTES}
    for expected in ("/cas/login", "/cas/aten/lost-password/", "/cas/inscription-sms/", "/cas/legacy/bascule/"):
        assert expected in paths
    assert any(path.startswith("/cas/franceconnect/") for path in paths)
    assert any(path.startswith("/admin/") for path in paths)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
def test_post_without_token_is_refused(route):
    response = Client(enforce_csrf_checks=True).post(route.path, {"username": "x", "password": "y"})
    if route.name in CSRF_EXEMPT:
        assert response.status_code != 403, CSRF_EXEMPT[route.name]
    else:
        assert response.status_code == 403, f"{route.path} ({route.name}) accepts a POST without CSRF token"


def test_allow_list_has_no_stale_entry():
    names = {route.name for route in ROUTES}
    assert set(CSRF_EXEMPT) <= names, set(CSRF_EXEMPT) - names


def test_login_post_without_its_login_ticket_opens_no_session(client, service_pattern, active_account):
    client.get("/cas/login")
    response = client.post("/cas/login", {"username": active_account.identifier, "password": PASSWORD_FIXTURE})
    assert not client.session.get("authenticated")
    assert response.status_code == 200
    # With the login ticket of the session, the same credentials log in (the test above is not vacuous).
    assert login(client, active_account.identifier, service=SERVICE).status_code == 302
