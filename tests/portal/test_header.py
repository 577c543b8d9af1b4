"""The page header in a real browser: « Déconnexion » reachable on a phone, no script error on any page.

On a 375-px screen DSFR hides the header's tool links; its « Menu » button opens the modal
its script fills with them. Without that markup the link was unreachable and the script threw
``Cannot read properties of null (reading 'innerHTML')`` on every page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from cas_educonnect.models import AccountKind, AccountState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Choisi-2026-ok"


def test_logout_from_the_phone_menu_and_no_script_error(page, live_server, account_factory):
    account = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE, password=make_password(PASSWORD))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(f"{live_server.url}/cas/login?idpId=educonnect")
    page.fill("#id_username", account.identifier)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state("load")
    logout = page.get_by_role("link", name="Déconnexion")
    assert not logout.first.is_visible()  # the phone layout hides the header's own copy

    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-menu")
    menu.get_by_role("link", name="Déconnexion").click()
    page.wait_for_load_state("load")
    assert "/cas/logout" in page.url
    page.goto(f"{live_server.url}/cas/login")
    assert page.locator("#id_username").count() == 1  # logged out: the login form again
    assert errors == []
