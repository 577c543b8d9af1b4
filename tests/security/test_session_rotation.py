# ruff: noqa: F811  (pytest fixtures imported from the feature suites are redefined as arguments)
"""Session fixation: every login route rotates the session key when it logs the person in.

One test per route that opens an SSO session: the CAS password form (Éducation nationale
and "Autres publics"), ATEN first-login activation (form and email link), SMS
self-registration, the FranceConnect callback and first link (real node oidc-provider), and
the legacy switch. Each plants an anonymous session holding data before the flow, as an
attacker would, and then proves that neither the planted key nor the key the flow used
just before the login is authenticated: no ``authenticated`` flag in that session, no host
``User`` row keyed on it, and a browser presenting it gets no service ticket.
"""

from __future__ import annotations

import datetime
import re
from importlib import import_module

import pytest
import requests
from cas_server.models import User as CasUser
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

from cas_educonnect.models import AccountState
from tests.aten.conftest import cas_login, follow_to_ticket, last_mail_to, link_from_mail
from tests.aten.conftest import demo_service as aten_demo_service  # noqa: F401
from tests.aten.conftest import family as aten_family  # noqa: F401
from tests.franceconnect.conftest import browser, fc, fc_keys, fc_provider, linked_account  # noqa: F401
from tests.franceconnect.conftest import service as fc_service  # noqa: F401
from tests.franceconnect.test_first_link import dates, post, to_link_page
from tests.legacy.fixtures import legacy_factory  # noqa: F401
from tests.legacy.helpers import SERVICE as DEMO_SERVICE
from tests.legacy.helpers import login_page, post_credentials, register_demo_service, ticket_of
from tests.legacy.test_switch import walk_switch
from tests.sms.conftest import SERVICE as SMS_SERVICE
from tests.sms.conftest import choose_password, enter_birth_dates, enter_code, last_code, sms_locmem, start  # noqa: F401
from tests.sms.conftest import family as sms_family  # noqa: F401
from tests.sms.conftest import service as sms_service  # noqa: F401

COOKIE = settings.SESSION_COOKIE_NAME
PASSWORD = "Rotation-Test-42!"


def session_store(key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def plant(client: Client) -> str:
    """An anonymous session carrying data in ``client``'s cookie jar; returns its key."""
    session = client.session
    session["planted"] = "by-an-attacker"
    session.save()
    client.cookies[COOKIE] = session.session_key
    return session.session_key


def anonymous_key(key: str) -> str:
    """``key`` names a live session with data that is not authenticated (the state before a login)."""
    session = session_store(key)
    assert session.exists(key) and session.keys(), "the flow holds state in an anonymous session"
    assert not session.get("authenticated")
    return key


def gets_a_ticket(cookies: dict[str, str], service: str, base_url: str = "") -> bool:
    """Whether a browser presenting ``cookies`` is given a ticket for ``service`` without logging in."""
    if base_url:
        response = requests.get(
            f"{base_url}/cas/login", params={"service": service}, cookies=cookies, allow_redirects=False, timeout=10
        )
        location = response.headers.get("Location", "")
    else:
        replay = Client()
        for name, value in cookies.items():
            replay.cookies[name] = value
        response = replay.get("/cas/login", {"service": service})
        location = response.get("Location", "")
    return response.status_code == 302 and "ticket=" in location


def assert_rotated(new_key: str, old_keys: list[str], username: str, service: str, base_url: str = "") -> None:
    """The login lives under ``new_key`` only; none of ``old_keys`` is authenticated."""
    assert session_store(new_key).get("authenticated") is True
    assert session_store(new_key).get("username") == username
    assert CasUser.objects.filter(username=username, session_key=new_key).exists()
    assert gets_a_ticket({COOKIE: new_key}, service, base_url), "the rotated session does work"
    for old in old_keys:
        assert old != new_key
        assert not session_store(old).get("authenticated")
        assert not CasUser.objects.filter(session_key=old).exists()
        assert not gets_a_ticket({COOKIE: old}, service, base_url), "a pre-login key is authenticated"


@pytest.fixture(autouse=True)
def legacy_hashers(fast_password_hasher, settings):
    """The "Autres publics" accounts keep the legacy directory's hashes: keep their hashers too."""
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        "cas_educonnect.routes.legacy.hashers.LdapSshaPasswordHasher",
    ]


@pytest.fixture
def active_pupil(account_factory, pupil_factory):
    pupil = pupil_factory(first_name="Chloé", last_name="Bernard")
    return account_factory(state=AccountState.ACTIVE, pupils=[pupil], password=make_password(PASSWORD))


@pytest.mark.django_db
def test_password_form_educonnect(client, aten_demo_service, active_pupil):
    planted = plant(client)
    page = login_page(client, aten_demo_service, idpId="educonnect")
    before = anonymous_key(client.cookies[COOKIE].value)
    ticket_of(post_credentials(client, page, active_pupil.identifier, PASSWORD), aten_demo_service)
    assert_rotated(client.cookies[COOKIE].value, [planted, before], active_pupil.identifier, aten_demo_service)


@pytest.mark.django_db
def test_password_form_autres_publics(client, aten_demo_service, legacy_factory):
    legacy_factory(identifier="JDupont", category="teacher")
    planted = plant(client)
    page = login_page(client, aten_demo_service, idpId="autres-publics")
    before = anonymous_key(client.cookies[COOKIE].value)
    ticket_of(post_credentials(client, page, "jdupont", "secret"), aten_demo_service)
    # The CAS user of a legacy account is its historical spelling.
    assert_rotated(client.cookies[COOKIE].value, [planted, before], "JDupont", aten_demo_service)


@pytest.mark.django_db
def test_aten_first_login_activation(client, aten_family, aten_demo_service):
    account, lea = aten_family["lea_account"], aten_family["lea"]
    planted = plant(client)
    assert (
        cas_login(client, account.identifier, account.clear_provisional, service=aten_demo_service)["Location"]
        == "/cas/aten/activate/"
    )
    before = anonymous_key(client.cookies[COOKIE].value)
    form = {f"birth_date_{lea.pk}": "14/03/2012", "new_password1": PASSWORD, "new_password2": PASSWORD}
    follow_to_ticket(client, client.post("/cas/aten/activate/", {**form, "email": "", "email2": ""}))
    assert_rotated(client.cookies[COOKIE].value, [planted, before], account.identifier, aten_demo_service)


@pytest.mark.django_db
def test_aten_representative_activation_by_email_link(client, aten_family, aten_demo_service):
    account, lea, tom = aten_family["parent_account"], aten_family["lea"], aten_family["tom"]
    planted = plant(client)
    cas_login(client, account.identifier, account.clear_provisional, service=aten_demo_service)
    form = {"new_password1": PASSWORD, "new_password2": PASSWORD, "email": "paul@ex.fr", "email2": "paul@ex.fr"}
    births = {f"birth_date_{lea.pk}": "14/03/2012", f"birth_date_{tom.pk}": "02/11/2009"}
    assert client.post("/cas/aten/activate/", {**form, **births}).status_code == 200
    link = link_from_mail(last_mail_to("paul@ex.fr"), "/cas/aten/email/")
    before = anonymous_key(client.cookies[COOKIE].value)
    follow_to_ticket(client, client.post(link))
    assert_rotated(client.cookies[COOKIE].value, [planted, before], account.identifier, aten_demo_service)


@pytest.mark.django_db
def test_sms_self_registration(client, sms_family, sms_service, sms_locmem):
    planted = plant(client)
    start(client)
    enter_code(client, last_code(sms_locmem))
    enter_birth_dates(client, sms_family["pupils"])
    before = anonymous_key(client.cookies[COOKIE].value)
    response = choose_password(client)
    assert response.status_code == 302
    username = session_store(client.cookies[COOKIE].value)["username"]
    assert_rotated(client.cookies[COOKIE].value, [planted, before], username, SMS_SERVICE)


@pytest.mark.django_db
def test_legacy_switch_completion(client, legacy_factory, pupil_factory):
    register_demo_service()
    pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")
    planted = plant(client)
    start_page = client.post("/cas/legacy/bascule/", {"username": "LMartin", "password": "secret"})
    assert start_page["Location"].endswith("/confirmation/")
    before = anonymous_key(client.cookies[COOKIE].value)
    identifier, response = walk_switch(client, ["14/03/2012"])
    assert response.status_code == 302
    assert_rotated(client.cookies[COOKIE].value, [planted, before], identifier, DEMO_SERVICE)


def _browser_plant(browser) -> str:
    """The live-server equivalent of :func:`plant`: an anonymous session from the login page."""
    browser.get("/cas/login")
    return anonymous_key(browser.http.cookies[COOKIE])


@pytest.mark.node
def test_franceconnect_callback(fc, browser, fc_service, linked_account, live_server):
    planted = _browser_plant(browser)
    authorize = browser.start(fc_service)
    before = anonymous_key(browser.http.cookies[COOKIE])  # holds the pending state and nonce
    callback = browser.get(browser.through_provider(authorize))
    assert callback.status_code == 302
    new_key = browser.http.cookies[COOKIE]
    assert_rotated(new_key, [planted, before], linked_account.identifier, fc_service, live_server.url)


@pytest.mark.node
def test_franceconnect_first_link_completion(
    fc, browser, fc_service, live_server, representative_factory, pupil_factory, settings, sms_locmem
):
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.locmem.SmsBackend"
    child = pupil_factory(first_name="Léo", last_name="Dubois", birth_date=datetime.date(2012, 5, 3))
    representative_factory(children=[child], last_name="Dubois", first_name="Angela", mobile="+33612345678")
    planted = _browser_plant(browser)
    to_link_page(browser, fc_service)
    post(browser, {"mobile": "06 12 34 56 78"})
    post(browser, {"code": re.search(r"\b(\d{6})\b", sms_locmem[-1].body).group(1)})
    before = anonymous_key(browser.http.cookies[COOKIE])  # holds the verified FranceConnect identity
    assert post(browser, dates([child])).status_code == 302
    new_key = browser.http.cookies[COOKIE]
    username = session_store(new_key)["username"]
    assert_rotated(new_key, [planted, before], username, fc_service, live_server.url)
