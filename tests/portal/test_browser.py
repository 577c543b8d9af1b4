"""Browser tests: profile page → both routes → demo service, keyboard only, axe-core on each page.

The browser, page and axe-core fixtures are shared (tests/browser.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import AccountKind, AccountState
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.routes("legacy")]


def keyboard_login(page, username: str, password: str) -> None:
    """Fill and submit the credentials form with the keyboard only."""
    page.focus("#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_profile_page_to_both_routes_to_the_demo_service(
    page, live_server, axe_script, legacy_factory, account_factory
):
    demo_services.run(DemoContext(base_url=live_server.url))
    service = f"{live_server.url}/demo-ent/"
    legacy_factory(identifier="jdupont", category="teacher")
    aten = account_factory(kind=AccountKind.PUPIL, state=AccountState.ACTIVE)
    aten.password = make_password("choisi-2026")
    aten.save()

    # The demo ENT sends the browser to CAS: the profile page.
    page.goto(service)
    assert page.locator("#profil-educonnect").is_visible() and page.locator("#profil-autres-publics").is_visible()
    assert_accessible(page, axe_script)

    # "Autres publics", chosen with the keyboard.
    page.focus("#profil-autres-publics a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#route-autres-publics")
    assert_accessible(page, axe_script)
    keyboard_login(page, "jdupont", "secret")
    page.wait_for_url(f"{service}**")
    assert page.locator("#cas-user").inner_text() == "jdupont"

    # The switch page of the legacy route is public too.
    page.goto(f"{live_server.url}/cas/legacy/bascule/")
    assert_accessible(page, axe_script)

    # Back to the profile page ("Changer de profil"), then "Élèves ou parents".
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=autres-publics")
    page.click("#portal-reset")
    page.wait_for_selector("#profil-educonnect")
    page.focus("#profil-educonnect a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#route-educonnect")
    assert_accessible(page, axe_script)
    keyboard_login(page, aten.identifier, "choisi-2026")
    page.wait_for_url(f"{service}**")
    assert page.locator("#cas-user").inner_text() == aten.identifier
