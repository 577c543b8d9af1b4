"""Browser tests: profile page → both routes → demo service, keyboard only, axe-core on each page.

Debian's chromium driven by Playwright (never ``playwright install``); axe-core comes from
the npm registry, installed at test setup into ``.cache/npm`` (never from a CDN). Each
missing piece skips with its reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import AccountKind, AccountState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
NPM_CACHE = ROOT / ".cache" / "npm"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_VERSION = "4"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's axe.min.js, installed from the npm registry into .cache/npm on first use."""
    script = NPM_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot fetch axe-core from the npm registry")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE), f"axe-core@{AXE_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not script.exists():
            pytest.skip(f"npm install axe-core failed: {result.stderr.strip()[-300:]}")
    return script


@pytest.fixture(scope="module")
def chromium(django_db_setup):
    # Module scope: Playwright's sync API allows one instance at a time in this thread, and
    # other modules' browser tests start their own.
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    # Playwright's sync API keeps an event loop in this thread; the test's ORM calls stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    # bypass_csp lets us inject axe-core (the CSP itself is checked by tests/security).
    context = chromium.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def assert_accessible(page, axe_script: Path) -> None:
    """No serious or critical axe-core violation on the current page."""
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {json.dumps(bad, indent=1)}"


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
