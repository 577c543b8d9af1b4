"""The "Je n'ai pas d'identifiant" flow end to end through the test client (locmem gateway)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from cas_educonnect.attributes import release
from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms
from cas_educonnect.staff.models import RouteLogin

from .conftest import (
    MOBILE,
    SERVICE,
    choose_password,
    enter_birth_dates,
    enter_code,
    last_code,
    start,
    text,
    ticket_attributes,
)

pytestmark = pytest.mark.django_db

KNOWN_PAGE = "If this number is known"


def test_siblings_in_two_schools_end_with_one_active_account_and_a_ticket(client, family, service, sms_locmem):
    response = start(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("cas_server:educonnect_sms_code")
    assert len(sms_locmem) == 1 and sms_locmem[0].to == MOBILE
    page = client.get(response["Location"])
    assert "un code a été envoyé" in text(page)

    response = enter_code(client, last_code(sms_locmem))
    assert response["Location"] == reverse("cas_server:educonnect_sms_birth_dates")
    page = text(client.get(response["Location"]))
    assert "Léo" in page and "Inès" in page and "Lycée Victor Hugo" in page

    response = enter_birth_dates(client, family["pupils"])
    assert response["Location"] == reverse("cas_server:educonnect_sms_password")
    page = text(client.get(response["Location"]))
    assert "elise.dupre-lefevre" in page and "Conservez-le" in page

    response = choose_password(client)
    user, attributes = ticket_attributes(client, response)

    account = Account.objects.get()
    assert user == account.identifier == "elise.dupre-lefevre"
    assert account.state == AccountState.ACTIVE and account.kind == AccountKind.REPRESENTATIVE
    assert set(account.representatives.all()) == set(family["reps"])
    assert account.activated_at is not None and account.provisional_password == ""
    # Same attributes as any other route: exactly what release() computes for the account.
    assert attributes == release(account.identifier)
    assert list(RouteLogin.objects.values_list("username", "route")) == [(account.identifier, LoginRoute.SMS)]
    # The chosen password works on the CAS form afterwards.
    from django.contrib.auth import authenticate

    assert authenticate(username="Elise.Dupre-Lefevre", password="Un-mot-de-passe-solide-42") is not None
    assert SentSms.objects.filter(status=SentSms.Status.SENT, purpose="registration").count() == 1
    sent = SentSms.objects.get()
    assert MOBILE not in sent.number_masked and sent.number_masked.endswith("78")


def test_unknown_number_gets_the_same_page_and_no_sms(client, family, service, sms_locmem):
    known = start(client)
    known_page = text(client.get(known["Location"]))
    assert len(sms_locmem) == 1
    other = client.__class__()
    unknown = start(other, mobile="07 81 23 45 67")
    assert unknown.status_code == 302 and unknown["Location"] == known["Location"]
    unknown_page = text(other.get(unknown["Location"]))
    assert len(sms_locmem) == 1
    assert "un code a été envoyé" in unknown_page and "+337******67" in unknown_page
    known_clean, unknown_clean = (
        re.sub(r"\+33\d\*+\d\d", "MASK", page).split('name="csrfmiddlewaretoken"')[0]
        for page in (known_page, unknown_page)
    )
    assert known_clean == unknown_clean
    # Wrong names with the right number: treated as unknown too.
    third = client.__class__()
    start(third, first_name="Paul")
    assert len(sms_locmem) == 1
    # Whatever is typed, an unknown number's challenge never verifies.
    response = enter_code(other, "123456")
    assert "Code incorrect" in text(response)


def test_landline_is_refused_with_a_clear_message(client, family, sms_locmem):
    response = start(client, mobile="01 23 45 67 89")
    assert response.status_code == 200
    assert "n'est pas un numéro de téléphone mobile" in text(response)
    assert not sms_locmem and not CodeChallenge.objects.exists()
    response = start(client, mobile="06 12 34")
    assert "numéro de téléphone mobile valide" in text(response)


def test_overseas_mobile_is_accepted(client, pupil_factory, representative_factory, sms_locmem):
    child = pupil_factory()
    representative_factory(children=[child], first_name="Jean", last_name="Payet", mobile="+262692123456")
    response = start(client, mobile="+262 692 12 34 56", first_name="jean", last_name="payet")
    assert response.status_code == 302
    assert sms_locmem[-1].to == "+262692123456"


def test_returning_parent_is_told_his_identifier(client, family, service, sms_locmem, account_factory):
    existing = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=family["reps"],
        identifier="elise.dupre-lefevre",
        password=make_password("ancien-mot-de-passe"),
        activated_at=timezone.now(),
    )
    start(client)
    response = enter_code(client, last_code(sms_locmem))
    assert response["Location"] == reverse("cas_server:educonnect_sms_returning")
    page = text(client.get(response["Location"]))
    assert existing.identifier in page and "déjà un compte" in page
    assert Account.objects.count() == 1
    existing.refresh_from_db()
    assert existing.password.startswith("argon2")  # untouched
    # The flow is over: going back to the password page restarts.
    assert client.get(reverse("cas_server:educonnect_sms_password")).status_code == 400


def test_franceconnect_only_parent_chooses_the_password_his_account_lacks(
    client, family, service, sms_locmem, account_factory
):
    """An account activated by FranceConnect without a password is no "returning" account:
    the SMS registration lets its owner give it a password, keeping the same account."""
    fc_only = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=family["reps"],
        identifier="elise.dupre-lefevre",
        password=make_password(None),
        activated_at=timezone.now(),
    )
    start(client)
    assert enter_code(client, last_code(sms_locmem))["Location"] == reverse("cas_server:educonnect_sms_birth_dates")
    enter_birth_dates(client, family["pupils"])
    user, _attributes = ticket_attributes(client, choose_password(client, "Un-mot-de-passe-enfin-42"))
    fc_only.refresh_from_db()
    assert user == fc_only.identifier and Account.objects.count() == 1
    assert fc_only.state == AccountState.ACTIVE and fc_only.has_usable_password()
    assert authenticate(username=fc_only.identifier, password="Un-mot-de-passe-enfin-42") is not None


def test_existing_accounts_are_grouped_keeping_the_older_identifier(
    client, family, service, sms_locmem, account_factory
):
    rep_a, rep_b = family["reps"]
    older = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=[rep_a],
        identifier="elise.dupre-lefevre",
        password=make_password("ancien"),
        activated_at=timezone.now() - timezone.timedelta(days=400),
    )
    precreated = account_factory(
        kind=AccountKind.REPRESENTATIVE, state=AccountState.NOTIFIED, representatives=[rep_b], identifier="e.dl2"
    )
    start(client)
    enter_code(client, last_code(sms_locmem))
    enter_birth_dates(client, family["pupils"])
    page = text(client.get(reverse("cas_server:educonnect_sms_password")))
    assert older.identifier in page
    user, attributes = ticket_attributes(client, choose_password(client))
    assert user == older.identifier
    older.refresh_from_db()
    precreated.refresh_from_db()
    assert set(older.representatives.all()) == {rep_a, rep_b}
    assert precreated.state == AccountState.CLOSED and precreated.provisional_password == ""
    assert Account.objects.exclude(state=AccountState.CLOSED).count() == 1
    assert attributes == release(older.identifier)


def test_wrong_birth_date_is_refused_then_throttled(client, family, service, sms_locmem, settings):
    settings.CAS_EDUCONNECT_SMS_BIRTH_DATE_MAX_ATTEMPTS = 2
    start(client)
    enter_code(client, last_code(sms_locmem))
    first, second = family["pupils"]
    response = enter_birth_dates(client, family["pupils"], {f"pupil_{second.pk}": "2008-11-22"})
    assert response.status_code == 200 and "Il vous reste 1 essai." in text(response)
    response = enter_birth_dates(client, family["pupils"], {f"pupil_{first.pk}": "2012-05-04"})
    assert "Trop de dates de naissance incorrectes" in text(response)
    assert client.get(reverse("cas_server:educonnect_sms_password")).status_code == 400
    assert not Account.objects.exists()


def test_password_page_needs_the_previous_steps(client, family, service, sms_locmem):
    assert client.get(reverse("cas_server:educonnect_sms_password")).status_code == 400
    start(client)
    assert client.get(reverse("cas_server:educonnect_sms_birth_dates")).status_code == 400
    assert client.get(reverse("cas_server:educonnect_sms_password")).status_code == 400


def test_service_not_matching_a_pattern_is_dropped(client, family, service, sms_locmem):
    start(client, service="https://evil.example.org/")
    enter_code(client, last_code(sms_locmem))
    enter_birth_dates(client, family["pupils"])
    response = choose_password(client)
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert SERVICE not in response["Location"]


def test_portal_educonnect_page_offers_the_button_with_the_service(client, service):
    from urllib.parse import quote

    page = text(client.get(reverse("cas_server:login"), {"service": SERVICE, "idpId": "educonnect"}))
    href = f'href="{reverse("cas_server:educonnect_sms_start")}?service={quote(SERVICE, safe="")}"'
    assert 'id="educonnect-sms-start"' in page and href in page
    assert "Je n'ai pas d'identifiant" in page
