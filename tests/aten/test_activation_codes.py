"""ATEN activation codes (CAR / CAE) through the test client: issue, first login, throttling, life cycle."""

from __future__ import annotations

import pytest
from django.test import override_settings
from freezegun import freeze_time

from cas_educonnect.accounts import codes, lifecycle
from cas_educonnect.accounts.purge import purge_accounts
from cas_educonnect.models import AccountState, ActivationCode, ActivationCodeKind

from .conftest import follow_to_ticket, text

NEW_PASSWORD = "Ch3val-Bleu-42"
WRONG = "Le code d'activation ou la date de naissance est incorrect"
LOCKED = "Trop de tentatives infructueuses"
ON = override_settings(CAS_EDUCONNECT_ATEN_ACTIVATION_CODES=True)


def post_code(client, code: str, birth: str, service: str = ""):
    data = {"code": code, "birth_date": birth}
    if service:
        data["service"] = service
    return client.post("/cas/aten/code/", data)


@pytest.mark.django_db
def test_codes_are_off_by_default(client, family):
    assert client.get("/cas/aten/code/").status_code == 404
    assert codes.issue(family["parent_account"], family["lea"]) is None
    assert not ActivationCode.objects.exists()
    page = client.get("/cas/login", {"idpId": "educonnect"})
    assert "educonnect-aten-code" not in page.content.decode()


@pytest.mark.django_db
@ON
def test_code_is_stored_hashed_and_found_only_whole(family):
    clear = codes.issue(family["parent_account"], family["lea"])
    assert clear and len(clear) == 19 and clear.count("-") == 3
    row = ActivationCode.objects.get()
    assert row.kind == ActivationCodeKind.REPRESENTATIVE and row.representative == family["parent"]
    assert row.pupil == family["lea"] and row.establishment == family["lea"].establishment
    secret = codes.normalize(clear)[codes.LOOKUP_LENGTH :]
    assert row.secret_hash.startswith("argon2$") and secret not in row.secret_hash
    assert codes.find(clear) == row
    assert codes.find(clear.lower().replace("-", " ")) == row  # typed loosely
    assert codes.find(clear[:-1] + ("A" if clear[-1] != "A" else "B")) is None
    assert codes.find(clear[:10]) is None


@pytest.mark.django_db
@ON
def test_car_first_login_asks_only_the_other_child_then_email_link(client, family, demo_service):
    account = family["parent_account"]
    clear = codes.issue(account, family["lea"])
    page = client.get("/cas/login", {"idpId": "educonnect", "service": demo_service})
    assert "/cas/aten/code/" in page.content.decode()

    wrong = post_code(client, clear, "15/03/2012", demo_service)
    assert wrong.status_code == 200 and WRONG in text(wrong)
    response = post_code(client, clear, "14/03/2012", demo_service)
    assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"
    assert not client.session.get("authenticated")

    activate = client.get("/cas/aten/activate/")
    body = text(activate)
    assert f'name="birth_date_{family["tom"].pk}"' in body  # the other child is still checked
    assert f'name="birth_date_{family["lea"].pk}"' not in body  # the code's child was
    done = client.post(
        "/cas/aten/activate/",
        {
            f"birth_date_{family['tom'].pk}": "02/11/2009",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "email": "paul@example.org",
            "email2": "paul@example.org",
        },
    )
    assert done.status_code == 200, text(done)[:2000]
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVATING and account.pending_email == "paul@example.org"
    assert not ActivationCode.objects.exists(), "codes are used up when the activation starts"
    again = post_code(client, clear, "14/03/2012")
    assert WRONG in text(again)


@pytest.mark.django_db
@ON
def test_cae_first_login_gives_a_ticket(client, family, demo_service):
    account = family["lea_account"]
    clear = codes.issue(account, family["lea"])
    assert ActivationCode.objects.get().kind == ActivationCodeKind.PUPIL
    response = post_code(client, clear, "2012-03-14", demo_service)
    assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"
    assert "birth_date_" not in text(client.get("/cas/aten/activate/"))  # nothing left to check
    done = client.post("/cas/aten/activate/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert follow_to_ticket(client, done)
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and not account.activation_codes.exists()


@pytest.mark.django_db
@ON
def test_birth_dates_with_a_code_share_the_account_limit(client, family):
    clear = codes.issue(family["lea_account"], family["lea"])
    # birth_date: 2 free failures, the 3rd is checked and takes a lock, then every try is refused
    for _ in range(3):
        assert WRONG in text(post_code(client, clear, "01/01/2011"))
    locked = post_code(client, clear, "14/03/2012")  # the right date, while locked
    assert LOCKED in text(locked) and locked.status_code == 200
    assert family["lea_account"].activation_codes.exists()


@pytest.mark.django_db
@ON
@override_settings(CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES={"activation_code_ip": 1})
def test_wrong_codes_lock_the_client_address(client, family):
    clear = codes.issue(family["lea_account"], family["lea"])
    assert WRONG in text(post_code(client, "AAAA-BBBB-CCCC-DDDD", "14/03/2012"))
    assert WRONG in text(post_code(client, "AAAA-BBBB-CCCC-DDDE", "14/03/2012"))  # takes the lock
    assert LOCKED in text(post_code(client, clear, "14/03/2012"))  # even the right code waits


@pytest.mark.django_db
@ON
def test_codes_expire_after_their_validity_and_the_purge_deletes_them(client, family):
    with freeze_time("2026-01-05 10:00"):
        clear = codes.issue(family["lea_account"], family["lea"])
    with freeze_time("2026-04-07 10:00"):  # 92 days later
        assert codes.find(clear) is None
        assert WRONG in text(post_code(client, clear, "14/03/2012"))
        report = purge_accounts(dry_run=False)
    assert report.codes_deleted == 1 and not ActivationCode.objects.exists()


@pytest.mark.django_db
@ON
def test_life_cycle_drops_codes_and_refuses_to_issue_for_an_open_first_login(family, pupil_factory):
    account = family["parent_account"]
    assert codes.issue(account, family["lea"]) and codes.issue(account, family["tom"])
    assert codes.issue(account, pupil_factory()) is None  # not his child
    lifecycle.purge(account)
    assert not account.activation_codes.exists()
    assert codes.issue(account, family["lea"]) is None  # not notified: no first login to open
    lifecycle.notify(account)
    assert codes.issue(account, family["lea"])
    lifecycle.close(account)
    assert not account.activation_codes.exists()


@pytest.mark.django_db
@override_settings(CAS_EDUCONNECT_ATEN_ACTIVATION_CODES=["AC-NORD"], CAS_EDUCONNECT_ACADEMY_CODE="DEMO")
def test_codes_are_enabled_per_academy(family, pupil_factory, establishment_factory, account_factory):
    assert codes.issue(family["lea_account"], family["lea"]) is None  # academy DEMO
    north = pupil_factory(establishment=establishment_factory(academy_code="ac-nord"))
    pupil_account = account_factory(pupils=[north])
    assert codes.issue(pupil_account, north)
    assert codes.codes_enabled()
    blank = establishment_factory(academy_code="")
    with override_settings(CAS_EDUCONNECT_ACADEMY_CODE="AC-NORD"):
        assert codes.codes_enabled(blank)
    assert not codes.codes_enabled(blank)
