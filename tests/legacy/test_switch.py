"""ATEN → EduConnect switch: end to end, attribute continuity, one account per person."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from freezegun import freeze_time

from cas_educonnect.attributes import release
from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.staff.models import RouteLogin

from .helpers import login_page, post_credentials, ticket_of, validate

SUNSET = {"pupil": "2026-09-01", "representative": "2026-09-01"}
BIRTH = datetime.date(2012, 3, 14)


def person_scoped(attributes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Attributes about the person, without those naming the account itself (uid, opaque account ids)."""
    skip = {"uid", "FrEduCtId"}
    return {
        name: [v for v in values if not v.startswith("{ECT}")]
        for name, values in attributes.items()
        if name not in skip and not name.lower().startswith("legacy")
    }


@pytest.fixture
def pupil(pupil_factory):
    return pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=BIRTH)


@pytest.fixture
def pupil_legacy(legacy_factory, pupil):
    return legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")


def walk_switch(client, dates: list[str], password="nouveau-mdp-2026"):
    assert client.post("/cas/legacy/bascule/confirmation/", {"confirm": "1"})["Location"].endswith("/naissance/")
    data = {}
    page = client.get("/cas/legacy/bascule/naissance/")
    for (name, _), value in zip(page.context["form"].fields.items(), dates, strict=True):
        data[name] = value
    response = client.post("/cas/legacy/bascule/naissance/", data)
    assert response.status_code == 302, response.content.decode()
    response = client.post("/cas/legacy/bascule/mot-de-passe/", {"new_password1": password, "new_password2": password})
    assert response["Location"].endswith("/termine/")
    done = client.get("/cas/legacy/bascule/termine/")
    return done.context["identifier"], client.post("/cas/legacy/bascule/termine/")


@override_settings(CAS_EDUCONNECT_LEGACY_SUNSET=SUNSET)
def test_pupil_switch_after_sunset_end_to_end_with_attribute_continuity(client, demo_service, pupil_legacy, pupil):
    before = release(pupil_legacy.identifier)
    with freeze_time("2026-09-02 08:00"):
        sunset = post_credentials(client, login_page(client, idpId="autres-publics"), "LMartin", "secret")
        assert 'id="legacy-sunset"' in sunset.content.decode()
        assert client.get("/cas/legacy/bascule/")["Location"].endswith("/confirmation/")
        # A wrong birth date first: refused, counted, nothing changed.
        client.post("/cas/legacy/bascule/confirmation/", {"confirm": "1"})
        wrong = client.post("/cas/legacy/bascule/naissance/", {f"pupil_{pupil.pk}": "2012-03-15"})
        assert wrong.status_code == 200 and 'id="form-errors"' in wrong.content.decode()
        identifier, response = walk_switch(client, ["14/03/2012"])
        assert response.status_code == 302
        ticket = ticket_of(client.get(response["Location"]))
        user, attributes = validate(client, ticket)
    account = Account.objects.get(identifier=identifier)
    assert identifier == "lea.martin" and user == identifier
    assert (account.kind, account.state, account.legacy_identifier) == (
        AccountKind.PUPIL,
        AccountState.ACTIVE,
        "LMartin",
    )
    assert list(account.pupils.all()) == [pupil]
    assert attributes == release(identifier)
    assert list(RouteLogin.objects.values_list("username", "route")) == [(identifier, LoginRoute.SWITCH)]
    assert person_scoped(attributes) == person_scoped(before)
    legacy = Account.objects.get(pk=pupil_legacy.pk)
    assert legacy.state == AccountState.CLOSED
    assert LegacyProfile.objects.get(account=legacy).switched_to == account
    assert authenticate(None, username="LMartin", password="secret") is None
    assert authenticate(None, username=identifier, password="nouveau-mdp-2026") is not None


def test_switch_before_sunset_from_the_start_page_reuses_the_existing_account(
    client, demo_service, legacy_factory, representative_factory, pupil_factory, account_factory
):
    """A parent with a notified ATEN account: the switch activates that one, no second account."""
    child = pupil_factory(birth_date=BIRTH)
    other = pupil_factory(birth_date=datetime.date(2015, 6, 1))
    parent = representative_factory(children=[child, other], jointure="RES-9", first_name="Paul", last_name="Bernard")
    aten = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent])
    legacy_factory(identifier="pbernard", category="representative", jointure="RES-9")
    start = client.post("/cas/legacy/bascule/", {"username": "pbernard", "password": "secret", "service": ""})
    assert start["Location"].endswith("/confirmation/")
    identifier, response = walk_switch(client, ["2012-03-14", "2015-06-01"])
    assert identifier == aten.identifier
    assert Account.objects.exclude(kind=AccountKind.LEGACY).filter(representatives=parent).count() == 1
    aten.refresh_from_db()
    assert (aten.state, aten.legacy_identifier, aten.provisional_password) == (AccountState.ACTIVE, "pbernard", "")
    assert response.status_code == 302 and client.session.get("authenticated")


def test_an_account_already_in_use_keeps_its_password(client, legacy_factory, pupil, account_factory):
    used = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, pupils=[pupil])
    used.password = make_password("deja-choisi")
    used.save()
    legacy_factory(identifier="lmartin", category="pupil", jointure="ELV-7")
    client.post("/cas/legacy/bascule/", {"username": "lmartin", "password": "secret"})
    client.post("/cas/legacy/bascule/confirmation/", {"confirm": "1"})
    client.post("/cas/legacy/bascule/naissance/", {f"pupil_{pupil.pk}": "2012-03-14"})
    assert 'id="switch-existing"' in client.get("/cas/legacy/bascule/mot-de-passe/").content.decode()
    client.post("/cas/legacy/bascule/mot-de-passe/", {})
    used.refresh_from_db()
    assert used.legacy_identifier == "lmartin"
    assert authenticate(None, username=used.identifier, password="deja-choisi") is not None
    # Not logged in for him: he is sent to the Éducation nationale route.
    assert "idpId=educonnect" in client.post("/cas/legacy/bascule/termine/")["Location"]
    assert not client.session.get("authenticated")


@override_settings(CAS_EDUCONNECT_LEGACY_SWITCH_MAX_ATTEMPTS=2)
def test_too_many_wrong_birth_dates_stop_the_switch(client, pupil_legacy, pupil):
    client.post("/cas/legacy/bascule/", {"username": "lmartin", "password": "secret"})
    client.post("/cas/legacy/bascule/confirmation/", {"confirm": "1"})
    client.post("/cas/legacy/bascule/naissance/", {f"pupil_{pupil.pk}": "2011-01-01"})
    stopped = client.post("/cas/legacy/bascule/naissance/", {f"pupil_{pupil.pk}": "2011-01-02"})
    assert stopped["Location"].startswith("/cas/legacy/bascule/")
    assert client.get("/cas/legacy/bascule/mot-de-passe/").status_code == 302
    assert Account.objects.get(pk=pupil_legacy.pk).state == AccountState.ACTIVE


def test_teachers_and_unmatched_accounts_cannot_switch(client, legacy_factory):
    legacy_factory(identifier="prof", category="teacher")
    legacy_factory(identifier="inconnu", category="pupil", jointure="NOPE")
    for username in ("prof", "inconnu", "nobody"):
        page = client.post("/cas/legacy/bascule/", {"username": username, "password": "secret"})
        assert page.status_code == 200 and 'id="form-errors"' in page.content.decode()
    assert client.get("/cas/legacy/bascule/confirmation/").status_code == 302
