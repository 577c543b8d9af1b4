# ruff: noqa: F811  (pytest fixtures imported from the feature suites are redefined as arguments)
"""The staff door: one answer for every failed admin login, a limit on guesses, no CAS ticket
from a staff password, no device from a password alone (issue 13, findings 1 to 3)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.host.conftest import SERVICE
from tests.host.conftest import login as cas_login
from tests.staff.conftest import PASSWORD, head_a, make_staff, school_a, school_factory, totp_now  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
INDEX = "/admin/"
LOCKED = "Trop de tentatives"  # the lock message, in the French the pages are served in


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def admin_login(client, username, password, token="", **extra):
    return client.post(
        f"{LOGIN}?next={INDEX}", {"username": username, "password": password, "otp_token": token}, **extra
    )


def answer(response) -> str:
    """The page without what differs by nature between two requests (CSRF token, typed username)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text.replace('value="head.a"', "").replace('value="nobody"', "")


def wrong_token(device) -> str:
    return f"{(int(totp_now(device)) + 1) % 1000000:06d}"


def test_wrong_password_and_right_password_without_token_give_the_same_answer(client, head_a):
    wrong = admin_login(client, "head.a", "not-the-password")
    no_token = admin_login(client, "head.a", PASSWORD)
    bad_token = admin_login(client, "head.a", PASSWORD, wrong_token(head_a.totp))
    unknown = admin_login(client, "nobody", PASSWORD, "123456")
    assert {r.status_code for r in (wrong, no_token, bad_token, unknown)} == {200}
    assert answer(wrong) == answer(no_token) == answer(bad_token) == answer(unknown)
    assert b"OTP" not in no_token.content and b"otp_device" not in no_token.content
    assert client.get(INDEX).status_code == 302


def test_admin_password_guesses_are_throttled_per_username(client, head_a, settings):
    settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES = {"admin_username": 5, "admin_ip": 100}
    checked = 0
    for n in range(20):
        response = admin_login(client, "head.a", f"guess-{n}", REMOTE_ADDR=f"10.0.0.{n}")
        checked += LOCKED not in response.content.decode()
    assert checked == 6  # the free failures, then the one that took the lock
    # Locked: the right password and code are not even checked.
    response = admin_login(client, "head.a", PASSWORD, totp_now(head_a.totp), REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert client.get(INDEX).status_code == 302


def test_a_stranger_s_guesses_lock_his_address_not_the_member(client, head_a, settings):
    """Keycloak-like: the lock a stranger reaches holds his address; the ceiling per username is far higher."""
    settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES = {
        "admin_username_ip": 5,
        "admin_username": 30,
        "admin_ip": 100,
    }
    answers = [admin_login(client, "head.a", f"guess-{n}", REMOTE_ADDR="10.9.0.1") for n in range(12)]
    assert sum(LOCKED not in r.content.decode() for r in answers) == 6
    assert (
        LOCKED
        in admin_login(client, "head.a", PASSWORD, totp_now(head_a.totp), REMOTE_ADDR="10.9.0.1").content.decode()
    )
    response = admin_login(client, "head.a", PASSWORD, totp_now(head_a.totp), REMOTE_ADDR="10.9.0.2")
    assert response.status_code == 302 and client.get(INDEX).status_code == 200


def test_admin_password_guesses_are_throttled_per_ip(client, head_a, settings):
    settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES = {"admin_username": 100, "admin_ip": 5}
    answers = [admin_login(client, f"user{n}", "guess").content.decode() for n in range(10)]
    assert sum(LOCKED in a for a in answers) == 4
    response = admin_login(client, "head.a", PASSWORD, totp_now(head_a.totp))
    assert LOCKED in response.content.decode()


def test_a_staff_login_clears_the_username_counter(client, head_a, settings):
    settings.CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES = {"admin_username": 3, "admin_ip": 100}
    for _ in range(3):
        admin_login(client, "head.a", "guess")
    response = admin_login(client, "head.a", PASSWORD, totp_now(head_a.totp))
    assert response.status_code == 302 and client.get(INDEX).status_code == 200
    client.logout()
    TOTPDevice.objects.filter(pk=head_a.totp.pk).update(last_t=-1)
    for _ in range(3):
        assert LOCKED not in admin_login(client, "head.a", "guess").content.decode()


@pytest.mark.parametrize("superuser", [False, True])
def test_a_staff_password_opens_no_cas_session(client, school_a, service_pattern, superuser, settings):
    settings.CAS_EDUCONNECT_LOGIN_STEPS = []
    user = make_staff("staff.cas", None if superuser else school_a.establishment, superuser=superuser)
    response = cas_login(client, "staff.cas", PASSWORD, service=SERVICE)
    assert "ticket=" not in response.get("Location", "")
    assert response.status_code == 200
    client.get("/cas/login", {"service": SERVICE})
    assert "ticket=" not in client.get("/cas/login", {"service": SERVICE}).get("Location", "")
    assert user.is_staff


def test_an_ent_account_still_gets_its_ticket(client, active_account, service_pattern):
    response = cas_login(client, active_account.identifier, service=SERVICE)
    assert response.status_code == 302 and "ticket=ST-" in response["Location"]
