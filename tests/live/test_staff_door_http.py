"""The staff door over real HTTP: gunicorn (4 workers), PostgreSQL, Redis, parallel clients.

A guessed password must not be told apart from a wrong one, guesses must stop at the
configured count however parallel, and a staff password alone must never open CAS SSO.
"""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
import requests
from django_otp.oath import totp

from bench.load.client import hidden_fields
from bench.load.fixtures import OUR_SERVICES

from .conftest import Browser, answer, in_parallel

STAFF_PASSWORD = "Chef-etablissement-2026"
KEY = "3132333435363738393031323334353637383930"  # the RFC 6238 test key, as django-otp stores it (hex)
FAILED = "Saisissez le nom d'utilisateur, le mot de passe et le code d'authentification"
LOCKED = "Trop de tentatives infructueuses"
FREE_PER_ADDRESS = 5  # CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES["admin_username_ip"]
CEILING = 30  # ["admin_username"]: what guesses from many addresses reach
GUESSES = 200

STAFF = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
for name in {names!r}:
    user, _ = get_user_model().objects.get_or_create(username=name)
    user.set_password({password!r}); user.is_staff = user.is_superuser = True; user.save()
    TOTPDevice.objects.get_or_create(user=user, name="app", defaults={{"key": {key!r}, "confirmed": True}})
"""


@pytest.fixture(scope="module")
def staff(gunicorn_server):
    names = ["chef.a", "chef.b", "chef.c", "chef.d", "chef.e"]
    gunicorn_server.manage("shell", "-c", STAFF.format(names=names, password=STAFF_PASSWORD, key=KEY))
    return names


def code() -> str:
    return f"{totp(bytes.fromhex(KEY), step=30, digits=6):06d}"


class Staff:
    """One visitor of /admin/login/ behind the trusted proxy, from address ``ip``."""

    def __init__(self, base: str, ip: str) -> None:
        self.base, self.http = base, requests.Session()
        self.http.headers["X-Forwarded-For"] = ip

    def login(self, username: str, password: str, token: str) -> requests.Response:
        page = self.http.get(self.base + "/admin/login/", timeout=30)
        data = {**hidden_fields(page.text), "username": username, "password": password, "otp_token": token}
        headers = {"Referer": self.base + "/admin/login/"}
        return self.http.post(
            self.base + "/admin/login/", data=data, headers=headers, allow_redirects=False, timeout=60
        )


def verdict(response: requests.Response) -> str:
    text = response.text.replace("&#x27;", "'").replace("&#39;", "'")
    if response.status_code == 302:
        return "logged"
    if LOCKED in text:
        return "locked"
    return "failed" if FAILED in text and response.status_code == 200 else f"http {response.status_code}"


def page_without_tokens(response: requests.Response, username: str) -> str:
    """The answer, less what legitimately differs between two requests (CSRF token, echoed name)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)
    return text.replace(username, "USERNAME")


def test_a_right_password_answers_exactly_as_a_wrong_one(live_server_url, staff):
    wrong = Staff(live_server_url, "198.51.100.20").login(staff[0], "not-the-password", "123456")
    right = Staff(live_server_url, "198.51.100.21").login(staff[1], STAFF_PASSWORD, "123456")
    missing = Staff(live_server_url, "198.51.100.22").login(staff[2], STAFF_PASSWORD, "")
    assert [verdict(r) for r in (wrong, right, missing)] == ["failed"] * 3
    assert {r.status_code for r in (wrong, right, missing)} == {200}
    assert page_without_tokens(wrong, staff[0]) == page_without_tokens(right, staff[1])
    assert page_without_tokens(wrong, staff[0]) == page_without_tokens(missing, staff[2])


def test_parallel_password_guesses_stop_at_the_limit_and_never_tell_the_right_one(live_server_url, staff):
    target = staff[3]
    # 200 guesses from 16 threads, the right password among them (with a wrong code), from many addresses.
    guesses = [(n, STAFF_PASSWORD if n == 100 else f"guess-{n}") for n in range(GUESSES)]

    def guess(item):
        n, password = item
        return verdict(Staff(live_server_url, f"203.0.113.{n % 50}").login(target, password, "000000"))

    answers = Counter()
    for start in range(0, GUESSES, 16):
        answers.update(in_parallel(guess, guesses[start : start + 16]))
    assert set(answers) <= {"failed", "locked"}, answers
    # The username's ceiling lets CEILING failures through, then one more takes the lock: never more.
    assert answers["failed"] <= CEILING + 1, answers
    assert answers["locked"] >= GUESSES - CEILING - 1
    # While locked, even the right password with the right code is refused, and says so alike.
    assert verdict(Staff(live_server_url, "192.0.2.80").login(target, STAFF_PASSWORD, code())) == "locked"


def test_a_staff_password_alone_never_opens_cas_sso(live_server_url, staff):
    browser = Browser(live_server_url, "198.51.100.30")
    page = browser.http.get(
        live_server_url + "/cas/login", params={"idpId": "educonnect", "service": OUR_SERVICES[0]}, timeout=30
    )
    fields = hidden_fields(page.text)
    response = browser.post_login(fields, staff[1], STAFF_PASSWORD)
    assert answer(response) == "wrong"
    assert "ticket=" not in response.headers.get("Location", "")
    again = browser.http.get(
        live_server_url + "/cas/login", params={"service": OUR_SERVICES[0]}, allow_redirects=False, timeout=30
    )
    assert "ticket=" not in again.headers.get("Location", "")


def test_the_staff_member_logs_in_with_password_and_code(live_server_url, staff):
    # A fresh TOTP step: the code of the previous test may have been used already.
    time.sleep(max(0, 30 - time.time() % 30) + 1) if time.time() % 30 > 28 else None
    response = Staff(live_server_url, "192.0.2.81").login(staff[0], STAFF_PASSWORD, code())
    assert verdict(response) == "logged", response.text[:500]


def test_parallel_guesses_from_one_address_lock_that_address_not_the_member(live_server_url, staff):
    target = staff[4]
    answers = Counter(
        in_parallel(
            lambda n: verdict(Staff(live_server_url, "198.51.100.40").login(target, f"guess-{n}", "000000")), range(16)
        )
    )
    assert set(answers) <= {"failed", "locked"} and 1 <= answers["failed"] <= FREE_PER_ADDRESS + 1, answers
    assert verdict(Staff(live_server_url, "198.51.100.40").login(target, STAFF_PASSWORD, code())) == "locked"
    assert verdict(Staff(live_server_url, "192.0.2.90").login(target, STAFF_PASSWORD, code())) == "logged"


def test_a_password_without_the_code_shows_no_model_and_no_data(live_server_url, staff):
    """Password right, code not typed: every admin address answers the login page, which lists nothing."""
    visitor = Staff(live_server_url, "198.51.100.50")
    assert verdict(visitor.login(staff[1], STAFF_PASSWORD, "")) == "failed"
    for address in ("/admin/", "/admin/cas_educonnect/account/", "/admin/educonnect/notify/", "/admin/auth/user/"):
        response = visitor.http.get(live_server_url + address, allow_redirects=False, timeout=30)
        assert response.status_code == 302 and "/admin/login/" in response.headers["Location"], address
        page = visitor.http.get(live_server_url + response.headers["Location"], timeout=30)
        assert 'id="login-form"' in page.text
        for shown in ("app-cas_educonnect", "Comptes", "Utilisateurs", "Délégations", "nav-sidebar", staff[1]):
            assert shown not in page.text, (address, shown)
