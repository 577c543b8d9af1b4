"""ATEN activation codes over real HTTP: 16 parallel guesses, from 16 addresses or from one, check the limit only."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.load.client import hidden_fields

from .conftest import in_parallel

PARALLEL = 16
# tests.live.settings: no free birth-date failure (the first one checked takes the lock) and
# one free wrong code per address (the second one checked takes the lock).
BIRTH_DATES_CHECKED_MAX = 1
CODES_CHECKED_MAX = 2
WRONG = "Le code d'activation ou la date de naissance est incorrect"
LOCKED = "Trop de tentatives infructueuses"

PUPIL = """
import datetime
from cas_educonnect.accounts import codes
from cas_educonnect.accounts.passwords import encrypt_provisional_password, generate_provisional_password
from cas_educonnect.models import Account, AccountKind, AccountState, Establishment, Pupil
school, _ = Establishment.objects.get_or_create(
    uai="0790098Y", defaults={{"name": "Collège des codes", "jointure": "LIVE-CODES"}})
pupil, _ = Pupil.objects.get_or_create(jointure={jointure!r}, defaults={{
    "struct_id": "990002", "last_name": "Code", "first_name": "Ilan", "establishment": school,
    "birth_date": datetime.date(2011, 6, 2)}})
account, _ = Account.objects.get_or_create(identifier={identifier!r}, defaults={{
    "kind": AccountKind.PUPIL, "state": AccountState.NOTIFIED,
    "provisional_password": encrypt_provisional_password(generate_provisional_password())}})
account.pupils.add(pupil)
print(codes.issue(account, pupil))
"""


def issue_code(server, name: str) -> str:
    script = PUPIL.format(jointure=f"LIVE-CODE-{name}", identifier=f"ilan.{name}")
    code = server.manage_output("shell", "-c", script).strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code), code
    return code


class Visitor:
    """One client address with its own session (CSRF cookie and token of the code page)."""

    def __init__(self, base: str, ip: str) -> None:
        import requests

        self.base, self.http = base, requests.Session()
        self.http.headers["X-Forwarded-For"] = ip
        page = self.http.get(base + "/cas/aten/code/", timeout=30)
        assert page.status_code == 200, page.text[:300]
        self.fields = hidden_fields(page.text)

    def post(self, code: str, birth: str) -> str:
        answer = self.http.post(
            self.base + "/cas/aten/code/",
            data={**self.fields, "code": code, "birth_date": birth},
            headers={"Referer": self.base + "/cas/aten/code/"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code == 302:
            return "opened"
        text = answer.text.replace("&#x27;", "'").replace("&#39;", "'")
        return "locked" if LOCKED in text else "checked" if WRONG in text else f"other {answer.status_code}"


@pytest.fixture(scope="module")
def code(gunicorn_server):
    return issue_code(gunicorn_server, "dates")


def test_parallel_birth_dates_from_16_addresses_check_the_limit_then_the_right_one_is_refused(live_server_url, code):
    visitors = [Visitor(live_server_url, f"198.51.100.{70 + n}") for n in range(PARALLEL)]
    answers = Counter(in_parallel(lambda n: visitors[n].post(code, f"{1 + n % 28:02d}/01/2010"), range(PARALLEL)))
    assert set(answers) <= {"checked", "locked"}, answers
    assert 1 <= answers["checked"] <= BIRTH_DATES_CHECKED_MAX, answers
    # The right date, from a fresh address, right after: refused while the account is locked.
    assert Visitor(live_server_url, "198.51.100.99").post(code, "02/06/2011") == "locked"


def test_parallel_wrong_codes_from_one_address_check_the_limit(live_server_url, gunicorn_server):
    real = issue_code(gunicorn_server, "ip")
    visitor = Visitor(live_server_url, "203.0.113.40")
    guesses = [f"{real[:-4]}{n:04d}".replace("0", "A").replace("1", "B") for n in range(PARALLEL)]
    answers = Counter(in_parallel(lambda n: visitor.post(guesses[n], "02/06/2011"), range(PARALLEL)))
    assert set(answers) <= {"checked", "locked"}, answers
    assert 1 <= answers["checked"] <= CODES_CHECKED_MAX, answers
    assert visitor.post(real, "02/06/2011") == "locked"  # even the real code waits on that address
    assert Visitor(live_server_url, "203.0.113.41").post(real, "02/06/2011") == "opened"
