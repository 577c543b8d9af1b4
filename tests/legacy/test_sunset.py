"""Sunset of the "Autres publics" route per population (settings and admin rows), with freezegun."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from freezegun import freeze_time

from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.routes.legacy.models import LegacyProfile, LegacySunset
from cas_educonnect.routes.legacy.sunset import is_closed
from cas_educonnect.staff.models import RouteLogin

from .helpers import login_page, post_credentials, ticket_of

SUNSET = {"pupil": "2026-09-01", "representative": "2026-11-01"}


def legacy_login(client, username, password="secret"):
    return post_credentials(client, login_page(client, idpId="autres-publics"), username, password)


@pytest.fixture
def pupil_legacy(legacy_factory, pupil_factory):
    pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    return legacy_factory(identifier="lmartin", category="pupil", jointure="ELV-7", last_name="Martin")


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_before_the_day_a_legacy_pupil_still_logs_in(client, demo_service, pupil_legacy):
    with freeze_time("2026-08-31 21:59:00+00:00"):  # 23:59 in Paris
        # Matched to the directory: the switch is offered first (tests/legacy/test_offer.py).
        assert legacy_login(client, "lmartin")["Location"] == "/cas/legacy/bascule/proposition/"
        ticket_of(client.get(client.post("/cas/legacy/bascule/proposition/", {"later": "1"})["Location"]))
        assert LegacyProfile.objects.get(account=pupil_legacy).last_login_at is not None
    # The statistics count this login under the "Autres publics" route.
    assert list(RouteLogin.objects.values_list("username", "route")) == [("lmartin", LoginRoute.LEGACY)]


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_after_the_day_a_legacy_pupil_is_sent_to_the_educonnect_route(client, demo_service, pupil_legacy):
    with freeze_time("2026-08-31 22:01:00+00:00"):  # 00:01 on the 1st in Paris
        response = legacy_login(client, "lmartin")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="legacy-sunset"' in html and 'id="legacy-switch-start"' in html
        assert "idpId=educonnect" in html
        assert not client.session.get("authenticated")
        assert login_page(client).status_code == 200  # still no SSO session: no ticket


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_wrong_password_after_the_day_reveals_nothing(client, demo_service, pupil_legacy):
    with freeze_time("2026-10-01"):
        html = legacy_login(client, "lmartin", "wrong").content.decode()
        assert 'id="legacy-sunset"' not in html and 'id="login-errors"' in html


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_teachers_and_representatives_before_their_day_keep_the_route(client, demo_service, legacy_factory):
    legacy_factory(identifier="prof", category="teacher")
    legacy_factory(identifier="parent", category="representative")
    with freeze_time("2026-10-01"):
        ticket_of(legacy_login(client, "prof"))
        client.cookies.clear()
        client.logout()
        ticket_of(legacy_login(client, "parent"))
    with freeze_time("2026-11-01 12:00"):
        client.logout()
        assert 'id="legacy-sunset"' in legacy_login(client, "parent").content.decode()
        assert 'id="legacy-no-match"' in legacy_login(client, "parent").content.decode()


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET={"pupil": "2030-01-01"})
def test_admin_row_wins_over_the_setting(db):
    with freeze_time("2026-10-01"):
        assert not is_closed("pupil")
        LegacySunset.objects.create(category="pupil", closes_on=datetime.date(2026, 9, 15))
        assert is_closed("pupil")
        assert not is_closed("teacher")
