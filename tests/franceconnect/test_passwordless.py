# ruff: noqa: F811  (pytest fixtures imported from test_first_link are redefined as arguments)
"""An account activated by the FranceConnect first link without a password: "FranceConnect only".

Against the real node provider: the first link leaves the pre-created account *in use* with
Django's unusable password; its owner cannot unlink FranceConnect (he would be locked out)
until he has chosen a password on his account page, where no current password is asked.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate

from cas_educonnect.models import Account, AccountState
from cas_educonnect.routes.franceconnect.models import FranceConnectLink

from .test_first_link import dates, family, outbox, post, to_link_page  # noqa: F401
from .test_login import password_ticket, validate

pytestmark = pytest.mark.node
NEW_PASSWORD = "Enfin-un-mot-de-passe-42"


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post_form(browser, path: str, data: dict):
    """POST like the browser would, with the CSRF token of a page that always has a form."""
    page = browser.get("/cas/aten/account/password/")
    return browser.http.post(
        f"{browser.base}{path}",
        data={"csrfmiddlewaretoken": csrf(page.text), **data},
        allow_redirects=False,
        timeout=15,
    )


def test_franceconnect_only_account_sets_a_password_before_it_can_unlink(
    fc,
    browser,
    service,
    family,
    outbox,
    live_server,
):
    to_link_page(browser, service)
    post(browser, {"mobile": "06 12 34 56 78"})
    post(browser, {"code": re.search(r"\b(\d{6})\b", outbox[0].body).group(1)})
    browser.follow_to_service(post(browser, dates(family["pupils"])), service)
    account = Account.objects.get(pk=family["notified"].pk)
    assert account.state == AccountState.ACTIVE and not account.has_usable_password()
    assert authenticate(username=account.identifier, password="") is None

    home = browser.get("/cas/aten/account/").text
    assert 'id="franceconnect-only"' in home and 'id="franceconnect-unlink"' not in home
    refused = post_form(browser, "/cas/franceconnect/unlink", {})
    assert refused.status_code == 409 and "Choisissez un mot de passe avant" in refused.text
    assert FranceConnectLink.objects.filter(account=account).exists()

    page = browser.get("/cas/aten/account/password/").text
    assert 'id="first-password"' in page and 'name="old_password"' not in page
    changed = post_form(
        browser, "/cas/aten/account/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    account.refresh_from_db()
    assert account.has_usable_password() and authenticate(username=account.identifier, password=NEW_PASSWORD)
    # From now on the usual page: changing the password asks for the current one.
    assert 'name="old_password"' in browser.get("/cas/aten/account/password/").text

    assert 'id="franceconnect-unlink"' in browser.get("/cas/aten/account/").text
    assert post_form(browser, "/cas/franceconnect/unlink", {}).status_code == 200
    assert not FranceConnectLink.objects.filter(account=account).exists()
    user, _attributes = validate(
        live_server, service, password_ticket(live_server, service, account.identifier, NEW_PASSWORD)
    )
    assert user == account.identifier
