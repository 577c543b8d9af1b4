"""The switch offered after a legacy login, before the sunset: end to end to the demo service."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory, override_settings
from freezegun import freeze_time

from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.routes.legacy.offer import switch_offer_step
from cas_educonnect.staff.models import RouteLogin

from .helpers import SERVICE, hidden_fields, login_page, post_credentials, ticket_of, validate
from .test_switch import walk_switch

OFFER = "/cas/legacy/bascule/proposition/"
SUNSET = {"pupil": "2026-09-01", "representative": "2026-11-01"}
BIRTH = datetime.date(2012, 3, 14)


def legacy_login(client, username="lmartin", password="secret", warn: bool = False, **params):
    page = login_page(client, idpId="autres-publics", **params)
    return post_credentials(client, page, username, password, **({"warn": "on"} if warn else {}))


def later(client):
    """Answer « Plus tard » and follow to the CAS login view; return its response."""
    response = client.post(OFFER, {"later": "1"})
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def logout(client):
    client.get("/cas/logout")


@pytest.fixture
def pupil(pupil_factory):
    return pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=BIRTH)


@pytest.fixture
def pupil_legacy(legacy_factory, pupil):
    return legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_offer_is_shown_then_later_reaches_the_service(client, demo_service, pupil_legacy):
    with freeze_time("2026-06-01 10:00"):
        response = legacy_login(client, "LMARTIN")
        assert response["Location"] == OFFER
        assert not client.session.get("authenticated")  # no SSO session while the offer waits
        page = client.get(OFFER)
        html = page.content.decode()
        assert page.status_code == 200
        assert "Passez à votre compte ÉduConnect" in html and "LMartin" in html
        assert 'id="switch-offer-now"' in html and "Basculer maintenant" in html
        assert 'id="switch-offer-later"' in html and "Plus tard" in html
        user, attributes = validate(client, ticket_of(later(client)))
    assert user == "LMartin" and attributes["ENTPersonLogin"] == ["LMartin"]
    assert LegacyProfile.objects.get(account=pupil_legacy).switch_offer_declined_at is not None
    assert list(RouteLogin.objects.values_list("username", "route")) == [("lmartin", LoginRoute.LEGACY)]
    assert Account.objects.get(pk=pupil_legacy.pk).state == AccountState.ACTIVE


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET, CAS_EDUCONNECT_LEGACY_SWITCH_OFFER_DELAY=3 * 24 * 3600)
def test_not_shown_again_within_the_delay_then_shown_again(client, demo_service, pupil_legacy):
    with freeze_time("2026-06-01 10:00"):
        legacy_login(client)
        ticket_of(later(client))
        logout(client)
    with freeze_time("2026-06-04 09:59"):  # 3 days minus one minute: straight to the service
        ticket_of(legacy_login(client))
        logout(client)
    with freeze_time("2026-06-04 10:01"):
        assert legacy_login(client)["Location"] == OFFER


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_switch_now_from_the_offer(client, demo_service, pupil_legacy, pupil):
    with freeze_time("2026-06-01 10:00"):
        legacy_login(client)
        # Cancelling the confirmation goes back to the offer; the credentials stay proved.
        assert client.post(OFFER, {"switch": "1"})["Location"] == "/cas/legacy/bascule/confirmation/"
        assert client.post("/cas/legacy/bascule/confirmation/", {"cancel": "1"})["Location"] == OFFER
        assert client.post(OFFER, {"switch": "1"})["Location"] == "/cas/legacy/bascule/confirmation/"
        identifier, done = walk_switch(client, ["14/03/2012"])
        user, attributes = validate(client, ticket_of(client.get(done["Location"])))
    assert user == identifier == "lea.martin"
    assert attributes["ENTPersonLogin"] == ["LMartin"]
    assert Account.objects.get(pk=pupil_legacy.pk).state == AccountState.CLOSED
    assert list(RouteLogin.objects.values_list("username", "route")) == [(identifier, LoginRoute.SWITCH)]
    assert OFFER not in client.get(OFFER)["Location"]  # nothing pending any more


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_never_on_gateway(client, demo_service, pupil_legacy):
    with freeze_time("2026-06-01 10:00"):
        # No SSO session: gateway goes back to the service, without ticket nor page.
        response = client.get("/cas/login?" + urlencode({"service": SERVICE, "gateway": "true"}))
        assert response.status_code == 302 and response["Location"] == SERVICE
        # Credentials posted with gateway (the host's form keeps it): the ticket, no offer.
        page = login_page(client, idpId="autres-publics")
        data = {**hidden_fields(page.content.decode()), "username": "lmartin", "password": "secret"}
        data.pop("csrfmiddlewaretoken", None)
        assert validate(client, ticket_of(client.post("/cas/login", {**data, "gateway": "true"})))[0] == "LMartin"
        assert LegacyProfile.objects.get(account=pupil_legacy).switch_offer_declined_at is None
        # An open SSO session, then gateway: a ticket, silently.
        ticket_of(client.get("/cas/login?" + urlencode({"service": SERVICE, "gateway": "true"})))
        logout(client)
        assert legacy_login(client)["Location"] == OFFER  # an ordinary login still gets it


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_renew_gets_its_fresh_ticket_without_the_offer(client, demo_service, pupil_legacy):
    with freeze_time("2026-06-01 10:00"):
        ticket = ticket_of(legacy_login(client, renew="true"))
        response = client.get(
            "/cas/p3/serviceValidate?" + urlencode({"ticket": ticket, "service": SERVICE, "renew": "true"})
        )
        assert b"<cas:user>LMartin</cas:user>" in response.content
        assert b"<cas:isFromNewLogin>true</cas:isFromNewLogin>" in response.content


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_warn_is_kept_after_later(client, demo_service, pupil_legacy):
    with freeze_time("2026-06-01 10:00"):
        assert legacy_login(client, warn=True)["Location"] == OFFER
        warn_page = later(client)
        assert warn_page.status_code == 200 and "warned" in hidden_fields(warn_page.content.decode())
        data = hidden_fields(warn_page.content.decode())
        data.pop("csrfmiddlewaretoken", None)
        assert validate(client, ticket_of(client.post("/cas/login", data)))[0] == "LMartin"


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_not_for_teachers_others_or_unmatched_accounts(client, demo_service, legacy_factory, pupil):
    legacy_factory(identifier="prof", category="teacher", jointure="ELV-7")
    legacy_factory(identifier="partenaire", category="other")
    legacy_factory(identifier="inconnu", category="pupil", jointure="NOPE")
    with freeze_time("2026-06-01 10:00"):
        for username in ("prof", "partenaire", "inconnu"):
            ticket_of(legacy_login(client, username))
            logout(client)


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_representative_is_offered_and_after_the_sunset_gets_the_sunset_page(
    client, demo_service, legacy_factory, representative_factory, pupil
):
    representative_factory(children=[pupil], jointure="RES-9", first_name="Paul", last_name="Martin")
    legacy_factory(identifier="PMartin", category="representative", jointure="RES-9")
    with freeze_time("2026-10-31 10:00"):
        assert legacy_login(client, "pmartin")["Location"] == OFFER
    with freeze_time("2026-11-01 10:00"):
        client.cookies.clear()
        html = legacy_login(client, "pmartin").content.decode()
        assert 'id="legacy-sunset"' in html and 'id="legacy-switch-offer"' not in html


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_later_composes_with_the_profile_choice(client, demo_service, legacy_factory, representative_factory, pupil):
    """A legacy account covering two people: the offer, then « Choisissez votre profil », then the ticket."""
    paul = representative_factory(children=[pupil], jointure="RES-9", first_name="Paul", last_name="Martin")
    anne = representative_factory(children=[pupil], first_name="Anne", last_name="Martin")
    account = legacy_factory(identifier="Martins", category="representative", jointure="RES-9")
    account.representatives.add(anne)
    with freeze_time("2026-06-01 10:00"):
        assert legacy_login(client, "martins")["Location"] == OFFER
        choice = client.post(OFFER, {"later": "1"})
        assert choice["Location"] == "/cas/choix-du-profil"
        finish = client.post("/cas/choix-du-profil", {"person": f"r{paul.pk}"})
        user, attributes = validate(client, ticket_of(client.get(finish["Location"])))
    assert user == "Martins" and attributes["givenName"] == ["Paul"]


def test_the_offer_page_needs_a_login_just_made(client, demo_service, pupil_legacy):
    assert client.get(OFFER)["Location"].startswith("/cas/login")
    assert client.post(OFFER, {"later": "1"})["Location"].startswith("/cas/login")
    assert not client.session.get("authenticated")
    assert LegacyProfile.objects.get(account=pupil_legacy).switch_offer_declined_at is None


def test_the_step_costs_one_query_for_other_accounts(account_factory, django_assert_num_queries, session_request):
    account = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, password=make_password("x"))
    with django_assert_num_queries(1):
        assert switch_offer_step(session_request, account.identifier.upper(), None) is None


@pytest.fixture
def session_request(db):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/cas/login", {"service": SERVICE})
    request.session = SessionStore()
    return request
