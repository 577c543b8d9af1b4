"""axe-core and keyboard on the portal, CAS, legacy switch and profile-choice pages (tests/accessibility.py).

Every page is reached as a user reaches it, from the demo ENT, in a real browser.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cas_server.models import ServicePattern
from django.contrib.auth.hashers import make_password

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import Account, AccountKind, AccountState
from cas_educonnect.staff.models import SchoolServiceSetting, SchoolSettings, UsefulLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.routes("legacy")]

PASSWORD = "Choisi-2026-ok"
SHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots" / "admin14"
FLOWS = {
    "test_profile_routes_and_cas_pages": (
        "portal/profile",
        "portal/educonnect",
        "portal/educonnect#errors",
        "host/warn",
        "host/logged",
        "host/logout",
        "portal/legacy",
    ),
    "test_host_login_page_without_the_portal": ("host/login",),
    "test_bad_request_page": ("host/bad_request",),
    "test_legacy_sunset_and_switch": (
        "legacy/sunset",
        "legacy/switch_start",
        "legacy/switch_start#errors",
        "legacy/switch_confirm",
        "legacy/switch_birth_dates",
        "legacy/switch_birth_dates#errors",
        "legacy/switch_password",
        "legacy/switch_done",
    ),
    "test_legacy_switch_offer": ("legacy/switch_offer",),
    "test_profile_choice_and_refusal": ("attributes/choose_profile", "attributes/refused"),
    "test_school_portal_logged_page": ("staff/portal_logged",),
    "test_help_and_legal_pages_from_the_login_page": (
        "portal/help",
        "portal/legal_notice",
        "portal/privacy",
        "portal/accessibility",
    ),
}


@pytest.fixture
def service(live_server) -> str:
    demo_services.run(DemoContext(base_url=live_server.url))
    return f"{live_server.url}/demo-ent/"


def active(account: Account) -> Account:
    account.state, account.password = AccountState.ACTIVE, make_password(PASSWORD)
    account.save()
    return account


def route(page, live_server, service: str, route_id: str) -> None:
    page.goto(f"{live_server.url}/cas/login?service={service}&idpId={route_id}")


def log_in(sweep, username: str, password: str = PASSWORD) -> None:
    sweep.page.fill("#id_username", username)
    sweep.page.fill("#id_password", password)
    sweep.submit("#login-form")


def test_profile_routes_and_cas_pages(sweep, page, live_server, service, legacy_factory, account_factory):
    legacy_factory(identifier="jdupont", category="teacher")
    pupil = active(account_factory(kind=AccountKind.PUPIL))

    page.goto(service)  # the demo ENT sends the browser to CAS
    sweep.check("portal/profile")
    page.click("#profil-educonnect a")
    sweep.check("portal/educonnect", form="#login-form")
    log_in(sweep, pupil.identifier, "wrong-password")
    sweep.check("portal/educonnect#errors", form="#login-form")
    page.check("#id_warn", force=True)  # DSFR draws the box over the input
    log_in(sweep, pupil.identifier)
    assert page.locator("#cas-user").inner_text() == pupil.identifier

    page.goto(f"{live_server.url}/cas/login?service={service}")  # "warn me" asked: confirm first
    sweep.check("host/warn", form="main form")
    sweep.submit("main form")
    assert page.url.startswith(service)
    page.goto(f"{live_server.url}/cas/login")
    sweep.check("host/logged", form="main form")
    sweep.submit("main form")
    sweep.check("host/logout")

    route(page, live_server, service, "autres-publics")
    sweep.check("portal/legacy", form="#login-form")
    log_in(sweep, "jdupont", "secret")
    assert page.locator("#cas-user").inner_text() == "jdupont"
    sweep.finish()


def test_host_login_page_without_the_portal(sweep, page, live_server, service, settings):
    settings.CAS_EDUCONNECT_PORTAL_ENABLED = False
    page.goto(f"{live_server.url}/cas/login?service={service}")
    sweep.check("host/login", form="#login_form")
    sweep.finish()


def test_help_and_legal_pages_from_the_login_page(sweep, page, live_server, service):
    """The help link of the login page, then each legal page from the footer; screenshots at 1280 and 375 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    page.click("#login-help")
    sweep.check("portal/help")
    page.screenshot(path=str(SHOTS / "help-1280.png"), full_page=True)
    for name, text in (
        ("legal_notice", "Mentions légales"),
        ("privacy", "Données personnelles"),
        ("accessibility", "Accessibilité : non conforme"),
    ):
        page.locator("#footer .fr-footer__bottom-link", has_text=text).click()
        sweep.check(f"portal/{name}")
        page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    sweep.finish()
    page.set_viewport_size({"width": 375, "height": 800})
    for name in ("help", "privacy"):
        page.goto(f"{live_server.url}/cas/{'aide' if name == 'help' else 'donnees-personnelles'}")
        page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
        for link in page.locator("#footer .fr-footer__bottom-link").all():
            box = link.bounding_box()
            assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 375, box


def test_bad_request_page(sweep, page, live_server, service):
    page.goto(f"{live_server.url}/cas/login?service={service}%00")  # refused by the bad-input guard
    sweep.check("host/bad_request")
    sweep.finish()


def test_legacy_sunset_and_switch(sweep, page, live_server, service, settings, legacy_factory, pupil_factory):
    settings.CAS_EDUCONNECT_LEGACY_SUNSET = {"pupil": "2020-09-01"}
    pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")

    route(page, live_server, service, "autres-publics")
    log_in(sweep, "LMartin", "secret")
    sweep.check("legacy/sunset")

    page.context.clear_cookies()
    route(page, live_server, service, "autres-publics")
    page.click("#legacy-switch-link")
    sweep.check("legacy/switch_start", form="main form")
    page.fill("#id_username", "LMartin")
    page.fill("#id_password", "wrong")
    sweep.submit("main form")
    sweep.check("legacy/switch_start#errors", form="main form")
    page.fill("#id_password", "secret")
    sweep.submit("main form")
    sweep.check("legacy/switch_confirm", form="main form")
    sweep.submit("main form", "#switch-confirm")
    sweep.check("legacy/switch_birth_dates", form="main form")
    page.fill("main form input[type=date]", "2012-03-15")
    sweep.submit("main form")
    sweep.check("legacy/switch_birth_dates#errors", form="main form")
    page.fill("main form input[type=date]", "2012-03-14")
    sweep.submit("main form")
    sweep.check("legacy/switch_password", form="main form")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    sweep.submit("main form")
    sweep.check("legacy/switch_done", form="main form")
    identifier = page.locator("#educonnect-identifier").inner_text()
    sweep.submit("main form")
    page.wait_for_url(f"{service}**")
    assert page.locator("#cas-user").inner_text() == identifier == "lea.martin"
    sweep.finish()


def test_legacy_switch_offer(sweep, page, live_server, service, legacy_factory, pupil_factory):
    pupil_factory(jointure="ELV-7", first_name="Léa", last_name="Martin", birth_date=datetime.date(2012, 3, 14))
    legacy_factory(identifier="LMartin", category="pupil", jointure="ELV-7", last_name="Martin")
    route(page, live_server, service, "autres-publics")
    log_in(sweep, "lmartin", "secret")
    sweep.check("legacy/switch_offer", form="main form")
    sweep.submit("main form", "#switch-offer-later")
    page.wait_for_url(f"{service}**")
    assert page.locator("#cas-user").inner_text() == "LMartin"
    sweep.finish()


def test_profile_choice_and_refusal(
    sweep, page, live_server, service, pupil_factory, representative_factory, account_factory
):
    zoe = pupil_factory(first_name="Zoé", last_name="Bernard")
    parents = [
        representative_factory(children=[zoe], first_name=name, last_name="Bernard") for name in ("Marie", "Luc")
    ]
    joint = active(account_factory(kind=AccountKind.REPRESENTATIVE, representatives=parents))
    holder = representative_factory(children=[pupil_factory()], services_refused=True)
    refused = active(account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[holder]))

    route(page, live_server, service, "educonnect")
    log_in(sweep, joint.identifier)
    sweep.check("attributes/choose_profile", form="#profile-choice")
    sweep.submit("#profile-choice")
    assert page.locator("#cas-user").inner_text() == joint.identifier

    page.context.clear_cookies()
    route(page, live_server, service, "educonnect")
    log_in(sweep, refused.identifier)
    sweep.check("attributes/refused")
    sweep.finish()


def test_school_portal_logged_page(sweep, page, live_server, service, settings, pupil_factory, account_factory):
    settings.CAS_LOGGED_TEMPLATE = "cas_educonnect/staff/portal_logged.html"
    pupil = pupil_factory()
    school = pupil.establishment
    account = active(account_factory(kind=AccountKind.PUPIL, pupils=[pupil]))
    SchoolServiceSetting.objects.create(establishment=school, service_pattern=ServicePattern.validate(service))
    SchoolSettings.objects.create(
        establishment=school, welcome_message="Bienvenue au collège", contact_active=True, contact_email="ce@a.fr"
    )
    UsefulLink.objects.create(establishment=school, label="Site du collège", url="https://college.example.org/")

    route(page, live_server, service, "educonnect")
    log_in(sweep, account.identifier)
    page.goto(f"{live_server.url}/cas/login")
    assert page.locator(".educonnect-portal-school").count() == 1
    assert page.locator(".educonnect-portal-services a").count() == 1  # the demo ENT
    sweep.check("staff/portal_logged", form="main form")
    sweep.finish()
