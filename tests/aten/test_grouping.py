"""Grouping: same person across schools, the other parent (joint account), refusals."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from freezegun import freeze_time

from cas_educonnect.accounts.activation import children_of
from cas_educonnect.models import Account, AccountKind, AccountState, UsedIdentifier
from cas_educonnect.routes.aten.signals import accounts_grouped
from cas_educonnect.routes.franceconnect.models import FranceConnectLink
from cas_educonnect.staff.models import AuditAction, AuditLog

from .conftest import cas_login, text

PASSWORD = "Mon-Pass-Choisi-1"


def activate(account):
    account.state = AccountState.ACTIVE
    account.password = make_password(PASSWORD)
    account.provisional_password = ""
    account.save()
    return account


@pytest.fixture
def logged_parent(client, family):
    account = activate(family["parent_account"])
    cas_login(client, account.identifier, PASSWORD)
    assert client.session.get("authenticated")
    return account


def group(client, identifier, password):
    return client.post("/cas/aten/account/group/", {"identifier": identifier, "password": password})


@pytest.mark.django_db
def test_same_person_in_another_school_grouped_with_the_provisional_password(
    client, logged_parent, pupil_factory, representative_factory, account_factory, caplog
):
    other_child = pupil_factory(first_name="Inès", last_name="Durand", birth_date=datetime.date(2015, 5, 5))
    same_person = representative_factory(children=[other_child], first_name="Paul", last_name="DURAND")
    other = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[same_person])
    received = []
    accounts_grouped.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="test-grouping")
    try:
        with caplog.at_level(logging.INFO):
            response = group(client, other.identifier, other.clear_provisional)
    finally:
        accounts_grouped.disconnect(dispatch_uid="test-grouping")
    assert response.status_code == 302
    assert [(r["account"].pk, r["absorbed"].pk, r["kind"]) for r in received] == [
        (logged_parent.pk, other.pk, "same_person")
    ]
    other.refresh_from_db()
    assert other.state == AccountState.CLOSED and other.closed_at and not other.provisional_password
    assert UsedIdentifier.objects.filter(identifier=other.identifier).exists()
    assert {p.first_name for p in children_of(logged_parent)} == {"Léa", "Tom", "Inès"}
    assert "AUDIT grouping" in caplog.text and other.identifier in caplog.text
    assert "Inès Durand" in text(client.get("/cas/aten/account/"))
    # The closed account cannot log in any more.
    assert not cas_login(client.__class__(), other.identifier, other.clear_provisional).has_header("Location")


@pytest.mark.django_db
def test_other_legal_representative_of_the_same_child_makes_a_joint_account(
    client, logged_parent, family, representative_factory, account_factory
):
    mother = representative_factory(children=[family["lea"]], first_name="Anne", last_name="Martin", title="Mme")
    her_account = activate(account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[mother]))
    response = group(client, her_account.identifier, PASSWORD)
    assert response.status_code == 302
    assert set(logged_parent.representatives.all()) == {family["parent"], mother}
    assert Account.objects.get(pk=her_account.pk).state == AccountState.CLOSED
    # The staff audit log of each school of the children records it, with the owner as actor.
    entries = list(AuditLog.objects.filter(action=AuditAction.ACCOUNTS_GROUPED))
    assert {e.establishment for e in entries} == {c.establishment for c in children_of(logged_parent)}
    assert len(entries) == len({c.establishment for c in children_of(logged_parent)})
    assert {(e.actor, e.actor_username, tuple(e.identifiers)) for e in entries} == {
        (None, f"owner:{logged_parent.identifier}", (logged_parent.identifier, her_account.identifier))
    }
    assert "un compte pour les deux représentants" in entries[0].detail


@pytest.mark.routes("franceconnect")
@pytest.mark.django_db
def test_account_page_shows_the_franceconnect_link_and_the_owner_unlinks_it(client, logged_parent):
    assert 'id="franceconnect-not-linked"' in client.get("/cas/aten/account/").content.decode()
    FranceConnectLink.objects.create(account=logged_parent, sub="sub-account-page", family_name="DURAND")
    html = client.get("/cas/aten/account/").content.decode()
    assert 'id="franceconnect-linked"' in html
    unlink_url = reverse("cas_server:educonnect_franceconnect:unlink")
    assert f'action="{unlink_url}"' in html and 'id="franceconnect-unlink"' in html
    assert client.post(unlink_url).status_code == 200
    assert not FranceConnectLink.objects.filter(account=logged_parent).exists()
    assert 'id="franceconnect-not-linked"' in client.get("/cas/aten/account/").content.decode()


@pytest.mark.django_db
def test_unrelated_person_and_pupil_accounts_are_refused(
    client, logged_parent, family, pupil_factory, representative_factory, account_factory
):
    stranger_child = pupil_factory(first_name="Max", last_name="Autre")
    stranger = representative_factory(children=[stranger_child], first_name="Marc", last_name="Autre")
    stranger_account = activate(account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[stranger]))
    response = group(client, stranger_account.identifier, PASSWORD)
    assert "n'est pas représentant légal de vos enfants" in text(response)
    pupil_account = activate(family["lea_account"])
    response = group(client, pupil_account.identifier, PASSWORD)
    assert "Le compte d'un élève ne peut pas être regroupé" in text(response)
    assert group(client, logged_parent.identifier, PASSWORD).status_code == 200
    assert Account.objects.filter(state=AccountState.CLOSED).count() == 0
    assert set(logged_parent.representatives.all()) == {family["parent"]}


@pytest.mark.django_db
def test_wrong_password_of_the_other_account_is_refused_and_counted(client, logged_parent, settings):
    settings.CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES = {"login_identifier": 1, "login_ip": 50}
    with freeze_time(datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)):
        assert "L'identifiant ou le mot de passe de l'autre compte est incorrect" in text(group(client, "x.y", "bad"))
        group(client, "x.y", "bad")
        assert "Trop de tentatives infructueuses" in text(group(client, "x.y", "bad"))


@pytest.mark.django_db
def test_pupils_cannot_group(client, family):
    account = activate(family["lea_account"])
    cas_login(client, account.identifier, PASSWORD)
    assert "Seuls les représentants légaux" in text(client.get("/cas/aten/account/group/"))
