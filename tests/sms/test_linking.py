"""The linking API shared with FranceConnect: who a number proves, and the one account."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import is_password_usable

from cas_educonnect.models import AccountKind, AccountState, UsedIdentifier
from cas_educonnect.routes.sms import services

from .conftest import MOBILE, choose_password, enter_birth_dates, enter_code, last_code, start, text

pytestmark = pytest.mark.django_db


def test_names_match_ignoring_case_accents_spaces_and_hyphens():
    assert services.same_name("Dupré-Lefèvre", "DUPRE LEFEVRE")
    assert services.same_name("N'Diaye", "ndiaye")
    assert not services.same_name("Martin", "Martine")
    assert not services.same_name("", "")


def test_find_representatives_across_schools_and_filters(family, representative_factory, pupil_factory):
    rep_a, rep_b = family["reps"]
    assert services.find_representatives(MOBILE, "élise", "Dupre-Lefevre") == [rep_a, rep_b]
    assert services.find_representatives(MOBILE) == [rep_a, rep_b]  # FranceConnect: number only
    assert services.find_representatives(MOBILE, "Paul", "Dupré-Lefèvre") == []
    # A record that refused the service, or is only "person in charge", proves nothing.
    representative_factory(children=[pupil_factory()], mobile="+33655555555", services_refused=True)
    representative_factory(children=[pupil_factory()], mobile="+33655555556", legal=2)
    assert services.find_representatives("+33655555555") == []
    assert services.find_representatives("+33655555556") == []
    children = services.children_of([rep_a.pk, rep_b.pk])
    assert [p.first_name for p in children] == ["Inès", "Léo"]  # oldest first


def test_register_without_password_for_franceconnect(family):
    reps = family["reps"]
    identifier = services.target_identifier(reps)
    registration = services.register_account(reps, identifier, password=None)
    account = registration.account
    assert registration.created and account.state == AccountState.ACTIVE
    assert account.kind == AccountKind.REPRESENTATIVE and not is_password_usable(account.password)
    assert UsedIdentifier.objects.filter(identifier=identifier).exists()
    assert not account.has_usable_password()
    # No password can log in to it (FranceConnect only, until one is set).
    assert authenticate(username=identifier, password="") is None
    # So it is no "returning" account: the SMS registration lets its owner choose a password.
    assert services.returning_account([r.pk for r in reps]) is None
    again = services.register_account(reps, services.target_identifier(reps), password="Chosen-Password-42")
    assert again.account == account and not again.created
    assert authenticate(username=identifier, password="Chosen-Password-42") is not None
    assert services.returning_account([r.pk for r in reps]) == account


def test_joint_account_with_another_person_is_not_closed(family, representative_factory, account_factory):
    rep_a, rep_b = family["reps"]
    other_parent = representative_factory(children=[family["pupils"][0]], first_name="Marc")
    joint = account_factory(
        kind=AccountKind.REPRESENTATIVE, state=AccountState.NOTIFIED, representatives=[rep_a, other_parent]
    )
    registration = services.register_account([rep_a, rep_b], services.target_identifier([rep_a, rep_b]), "x" * 12)
    joint.refresh_from_db()
    assert registration.created and registration.account.pk != joint.pk and registration.closed == []
    assert joint.state == AccountState.NOTIFIED and set(joint.representatives.all()) == {rep_a, other_parent}


def test_refused_account_stops_with_a_clear_message(client, family, service, sms_locmem, account_factory):
    account_factory(
        kind=AccountKind.REPRESENTATIVE, state=AccountState.NOTIFIED, representatives=family["reps"], refused=True
    )
    start(client)
    enter_code(client, last_code(sms_locmem))
    enter_birth_dates(client, family["pupils"])
    response = choose_password(client)
    assert response.status_code == 200
    assert "ne peut pas être activé en ligne" in text(response)


def test_pupils_without_birth_date_cannot_be_confirmed(client, family, service, sms_locmem):
    for pupil in family["pupils"]:
        pupil.birth_date = None
        pupil.save()
    start(client)
    enter_code(client, last_code(sms_locmem))
    response = client.get("/cas/inscription-sms/dates-de-naissance/")
    assert "fiches de vos enfants sont incomplètes" in text(response)


def test_verify_code_query_count_is_constant(sms_locmem, django_assert_max_num_queries):
    challenge = services.start_challenge("test", MOBILE, [1])
    with django_assert_max_num_queries(4):
        services.verify_code(challenge.public_id, "000000" if last_code(sms_locmem) != "000000" else "111111")
    # One more than a wrong code: the try is counted (limiter upsert) before the challenge is marked verified.
    with django_assert_max_num_queries(5):
        assert services.verify_code(challenge.public_id, last_code(sms_locmem)).ok


def test_birth_dates_check_needs_a_verified_challenge(family, sms_locmem):
    challenge = services.start_challenge("test", MOBILE, [r.pk for r in family["reps"]])
    answers = {p.pk: p.birth_date for p in family["pupils"]}
    assert services.check_birth_dates(challenge, family["pupils"], answers) == (False, 0)
    services.verify_code(challenge.public_id, last_code(sms_locmem))
    challenge.refresh_from_db()
    assert services.check_birth_dates(challenge, family["pupils"], answers) == (True, 3)
    answers[family["pupils"][0].pk] = datetime.date(2000, 1, 1)
    assert services.check_birth_dates(challenge, family["pupils"], answers) == (False, 2)
