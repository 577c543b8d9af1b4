"""Session fixation: every login through the CAS form rotates the session key."""

from __future__ import annotations

from cas_server.models import User as CasUser
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import SERVICE, login


def test_login_post_rotates_the_session_key(client, active_account):
    client.get("/cas/login")
    planted = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore().exists(planted)

    response = login(client, active_account.identifier)
    assert response.status_code == 200
    assert client.session.get("authenticated") is True

    rotated = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert rotated != planted
    # The pre-login key is dead: an attacker who planted it holds nothing.
    assert not SessionStore().exists(planted)
    # The host's User row is keyed by the new key, so SSO keeps working.
    assert CasUser.objects.filter(username=active_account.identifier, session_key=rotated).exists()
    assert not CasUser.objects.filter(session_key=planted).exists()


def test_second_login_rotates_again(client, active_account):
    login(client, active_account.identifier)
    first = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = login(client, active_account.identifier, renew="true")
    assert response.status_code == 200
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != first


def test_failed_login_opens_no_session(client, active_account):
    response = login(client, active_account.identifier, password="wrong")
    assert response.status_code == 200
    assert not client.session.get("authenticated")
    assert not CasUser.objects.filter(username=active_account.identifier).exists()


def test_sso_issuance_does_not_rewrite_the_session(client, service_pattern, active_account):
    """Hot path: an authenticated GET /login?service= adds no login ticket to the session."""
    login(client, active_account.identifier)
    lts = list(client.session["lt"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cas/login", {"service": SERVICE})
    assert response.status_code == 302 and "ticket=" in response["Location"]
    assert client.session["lt"] == lts
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_login_form_still_gets_a_fresh_login_ticket(client, db):
    client.get("/cas/login")
    first = list(client.session["lt"])
    client.get("/cas/login")
    assert len(client.session["lt"]) == len(first) + 1
