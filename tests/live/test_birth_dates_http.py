"""ATEN birth dates over real HTTP: 16 parallel guesses from one activation session check the limit only."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.load.client import hidden_fields

from .conftest import Browser, in_parallel

PARALLEL = 16
CHECKED_MAX = 1  # tests.live.settings: no free birth-date failure, the first one checked takes the lock
WRONG = "Cette date de naissance ne correspond pas"
LOCKED = "Trop de dates de naissance erron"
PROVISIONAL = "prov2026x"
NEW_PASSWORD = "Nouveau-mot-de-passe-2026"

PUPIL = """
import datetime
from cas_educonnect.accounts.passwords import encrypt_provisional_password
from cas_educonnect.models import Account, AccountKind, AccountState, Establishment, Pupil
school, _ = Establishment.objects.get_or_create(uai="0790099Z", defaults={{"name": "Collège du test"}})
pupil, _ = Pupil.objects.get_or_create(jointure="LIVE-ELV-1", defaults={{
    "struct_id": "990001", "last_name": "Live", "first_name": "Nina", "establishment": school,
    "birth_date": datetime.date(2012, 3, 14)}})
account, _ = Account.objects.get_or_create(identifier={identifier!r}, defaults={{
    "kind": AccountKind.PUPIL, "state": AccountState.NOTIFIED,
    "provisional_password": encrypt_provisional_password({password!r})}})
account.pupils.add(pupil)
print(pupil.pk)
"""


@pytest.fixture(scope="module")
def pupil_pk(gunicorn_server):
    out = gunicorn_server.manage_output("shell", "-c", PUPIL.format(identifier="nina.live", password=PROVISIONAL))
    return int(out.strip().splitlines()[-1])


def verdict(text: str) -> str:
    text = text.replace("&#x27;", "'").replace("&#39;", "'")
    if LOCKED in text:
        return "locked"
    return "checked" if WRONG in text else "other"


def test_parallel_birth_dates_check_the_limit_then_the_right_one_is_refused(live_server_url, pupil_pk):
    browser = Browser(live_server_url, "198.51.100.60")
    response = browser.post_login(browser.login_form(), "nina.live", PROVISIONAL)
    assert response.status_code == 302 and "/cas/aten/activate/" in response.headers["Location"], response.text[:300]
    page = browser.http.get(live_server_url + "/cas/aten/activate/", timeout=30)
    fields = hidden_fields(page.text)
    assert f'name="birth_date_{pupil_pk}"' in page.text

    def post(date: str) -> str:
        data = {**fields, f"birth_date_{pupil_pk}": date, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        answer = browser.http.post(
            live_server_url + "/cas/aten/activate/",
            data=data,
            headers={"Referer": live_server_url + "/cas/aten/activate/"},
            allow_redirects=False,
            timeout=60,
        )
        return "activated" if answer.status_code == 302 else verdict(answer.text)

    answers = Counter(in_parallel(lambda n: post(f"{1 + n % 28:02d}/01/2011"), range(PARALLEL)))
    assert set(answers) <= {"checked", "locked"}, answers
    assert 1 <= answers["checked"] <= CHECKED_MAX, answers
    assert post("14/03/2012") == "locked"  # the right date, sent right after: refused while locked
