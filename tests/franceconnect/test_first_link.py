"""First FranceConnect login: mobile known to the school -> SMS code -> birth dates -> linked.

Real provider, real live server, the SMS machinery of ``cas_educonnect.routes.sms`` with its
locmem gateway (the outbox is read for the code, as the parent reads the phone).
"""

from __future__ import annotations

import datetime
import re

import pytest
from cas_server.models import User

from cas_educonnect.attributes import release
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.routes.franceconnect.models import FranceConnectLink
from cas_educonnect.routes.sms.backends import locmem

from .test_login import validate

pytestmark = pytest.mark.node
MOBILE = "+33612345678"


@pytest.fixture
def outbox(settings):
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def family(fc, establishment_factory, pupil_factory, representative_factory, account_factory):
    """Angela Dubois (FranceConnect's sample identity): one child in a collège, one in a lycée,
    one representative record per school, and the collège's pre-created (notified) account."""
    college, lycee = establishment_factory(name="Collège Jean Moulin"), establishment_factory(name="Lycée Hugo")
    leo = pupil_factory(
        establishment=college, first_name="Léo", last_name="Dubois", birth_date=datetime.date(2012, 5, 3)
    )
    ines = pupil_factory(
        establishment=lycee, first_name="Inès", last_name="Dubois", birth_date=datetime.date(2008, 1, 9)
    )
    reps = [
        representative_factory(children=[child], last_name="Dubois", first_name="Angela", mobile=MOBILE)
        for child in (leo, ines)
    ]
    notified = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[reps[0]])
    return {"pupils": [leo, ines], "reps": reps, "notified": notified}


def csrf(page_html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html).group(1)


def post(browser, data: dict):
    page = browser.get("/cas/franceconnect/link")
    return browser.http.post(
        f"{browser.base}/cas/franceconnect/link",
        data={"csrfmiddlewaretoken": csrf(page.text), **data},
        allow_redirects=False,
        timeout=15,
    )


def to_link_page(browser, service):
    response = browser.login(service)
    assert response.headers["Location"] == "/cas/franceconnect/link"


def dates(pupils, **override):
    return {f"birth_date_{p.pk}": override.get(p.first_name, p.birth_date.isoformat()) for p in pupils}


def test_first_link_then_franceconnect_only(fc, browser, service, family, outbox, live_server):
    to_link_page(browser, service)
    page = post(browser, {"mobile": "06 12 34 56 78"})
    assert 'data-step="code"' in page.text and len(outbox) == 1 and outbox[0].to == MOBILE
    code = re.search(r"\b(\d{6})\b", outbox[0].body).group(1)
    page = post(browser, {"code": code})
    assert 'data-step="dates"' in page.text and "Léo" in page.text and "Lycée Hugo" in page.text
    assert User.objects.count() == 0  # still no session before the birth dates

    ticket = browser.follow_to_service(post(browser, dates(family["pupils"])), service)
    user, attributes = validate(live_server, service, ticket)
    account = Account.objects.get(identifier=user)
    # The pre-created account is kept, now covering both records, active, linked.
    assert account == family["notified"] and account.state == AccountState.ACTIVE
    assert set(account.representatives.all()) == set(family["reps"])
    link = FranceConnectLink.objects.get()
    assert (link.account, link.sub) == (account, fc["identities"]["angela"])
    assert (link.family_name, link.birthdate) == ("DUBOIS", "1962-08-24")
    assert attributes == release(account.identifier)  # same as every other route

    # Later: FranceConnect alone, no SMS.
    from .conftest import Browser

    again = Browser(live_server.url)
    assert validate(live_server, service, again.follow_to_service(again.login(service), service))[0] == user
    again.http.close()
    assert len(outbox) == 1


def test_wrong_birth_dates_link_nothing(fc, browser, service, family, outbox):
    to_link_page(browser, service)
    post(browser, {"mobile": "0612345678"})
    post(browser, {"code": re.search(r"\b(\d{6})\b", outbox[0].body).group(1)})
    for _ in range(2):
        page = post(browser, dates(family["pupils"], Inès="2008-01-10"))
        assert page.status_code == 400 and "date de naissance est incorrecte" in page.text
    page = post(browser, dates(family["pupils"], Inès="2008-01-10"))
    assert page.status_code == 403 and 'data-step="mobile"' in page.text
    assert not FranceConnectLink.objects.exists() and User.objects.count() == 0


def test_unknown_number_sends_nothing_and_no_code_works(fc, browser, service, family, outbox):
    to_link_page(browser, service)
    page = post(browser, {"mobile": "07 98 76 54 32"})
    assert 'data-step="code"' in page.text and outbox == []  # same page: no directory oracle
    page = post(browser, {"code": "123456"})
    assert page.status_code == 400 and not FranceConnectLink.objects.exists()


def test_names_compared_when_asked(fc, browser, service, family, outbox, settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_COMPARE_NAMES = True
    requests_post = __import__("requests").post
    requests_post(fc["control"], json={"identity": "pierre"}, timeout=5)  # Pierre MERCIER, not Angela
    to_link_page(browser, service)
    post(browser, {"mobile": "06 12 34 56 78"})
    page = post(browser, {"code": re.search(r"\b(\d{6})\b", outbox[0].body).group(1)})
    assert page.status_code == 403 and "ne correspond pas" in page.text
    assert not FranceConnectLink.objects.exists()


def test_names_match_ignores_case_accents_and_extra_first_names(fc, browser, service, family, outbox, settings):
    settings.CAS_EDUCONNECT_FRANCECONNECT_COMPARE_NAMES = True
    to_link_page(browser, service)
    post(browser, {"mobile": "06 12 34 56 78"})
    page = post(browser, {"code": re.search(r"\b(\d{6})\b", outbox[0].body).group(1)})
    assert 'data-step="dates"' in page.text  # "Angela Claire Louise" / "DUBOIS" vs "Angela" / "Dubois"


def test_link_page_without_franceconnect_identity_goes_to_login(fc, browser):
    response = browser.get("/cas/franceconnect/link")
    assert response.status_code == 302 and response.headers["Location"].startswith("/cas/login")


def test_first_link_to_an_account_already_in_use(fc, browser, service, family, outbox, live_server):
    from django.contrib.auth.hashers import make_password

    account = family["notified"]
    account.representatives.set(family["reps"])
    Account.objects.filter(pk=account.pk).update(
        state=AccountState.ACTIVE, password=make_password("Mdp-1234!"), activated_at=datetime.datetime.now(datetime.UTC)
    )
    to_link_page(browser, service)
    post(browser, {"mobile": "06 12 34 56 78"})
    post(browser, {"code": re.search(r"\b(\d{6})\b", outbox[0].body).group(1)})
    ticket = browser.follow_to_service(post(browser, dates(family["pupils"])), service)
    assert validate(live_server, service, ticket)[0] == account.identifier
    assert Account.objects.count() == 1 and FranceConnectLink.objects.get().account == account
    account.refresh_from_db()
    assert account.password  # the password route keeps working next to FranceConnect
