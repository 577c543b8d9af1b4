"""Each login route is an optional app: its pages, portal entry, login steps and demo follow INSTALLED_APPS.

Runs with every settings module: with ``tests.settings`` every route is installed, with
``tests.settings_aten_only`` (a CI step) only ATEN is, and each assertion follows.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from cas_educonnect.conf import settings
from cas_educonnect.login.portal.routes import LEGACY, get_routes
from cas_educonnect.login.steps import get_login_steps, route_app
from cas_educonnect.urls import ROUTE_URLS

#: One page of each route, by URL name.
PAGES = {
    "cas_educonnect.routes.aten": "cas_server:educonnect_aten_lost_password",
    "cas_educonnect.routes.legacy": "cas_server:educonnect_legacy:switch",
    "cas_educonnect.routes.sms": "cas_server:educonnect_sms_start",
    "cas_educonnect.routes.franceconnect": "cas_server:educonnect_franceconnect:login",
}


def test_every_route_app_has_its_urlconf_entry():
    assert sorted(app for app, _prefix, _urlconf in ROUTE_URLS) == sorted(PAGES)


@pytest.mark.parametrize("app", sorted(PAGES))
def test_a_route_s_pages_exist_only_when_its_app_is_installed(app):
    if apps.is_installed(app):
        assert reverse(PAGES[app])
    else:
        with pytest.raises(NoReverseMatch):
            reverse(PAGES[app])


def test_login_steps_of_uninstalled_routes_are_skipped():
    configured = settings.CAS_EDUCONNECT_LOGIN_STEPS
    steps = get_login_steps()
    expected = [path for path in configured if route_app(path) is None or apps.is_installed(route_app(path))]
    assert [f"{step.__module__}.{step.__name__}" for step in steps] == expected
    assert "cas_educonnect.login.policy.refusal_step" in expected


def test_the_profile_page_offers_other_users_only_with_the_legacy_route():
    ids = [route.id for route in get_routes()]
    assert "educonnect" in ids
    assert (LEGACY in ids) == apps.is_installed("cas_educonnect.routes.legacy")


@pytest.mark.django_db
def test_the_demo_academy_builds_with_the_installed_routes(client):
    out = StringIO()
    call_command("educonnect_demo", "--json", stdout=out)
    response = client.get("/cas/login", {"idpId": "educonnect"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ("inscription-sms" in html) == apps.is_installed("cas_educonnect.routes.sms")


def test_a_provisional_password_opens_nothing_without_the_aten_route(account_factory, pupil_factory):
    """Only the ATEN route leads a provisional-password login to activation: without it, refused."""
    from django.contrib.auth import authenticate

    account = account_factory(pupils=[pupil_factory()])
    user = authenticate(request=None, username=account.identifier, password=account.clear_provisional)
    assert (user is not None) == apps.is_installed("cas_educonnect.routes.aten")
