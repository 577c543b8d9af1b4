"""Browser fixtures shared by every ``test_browser`` / accessibility module (imported by tests/conftest.py).

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

ROOT = Path(__file__).resolve().parents[1]
NPM_CACHE = ROOT / ".cache" / "npm"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
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
BLOCKING_IMPACTS = ("serious", "critical")


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
    """One headless chromium per test module.

    Module scope, not session: Playwright's sync API keeps an event loop running in this
    thread while it lives, which would make every other test module async-unsafe.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    # Playwright's event loop runs in this thread; the tests' own ORM calls stay synchronous.
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
    """A fresh French browser context (no cookies) on the shared chromium, closed after the test."""
    # bypass_csp lets us inject axe-core (the CSP itself is checked by tests/security).
    context = chromium.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def axe_violations(page, axe_script: Path) -> list[dict]:
    """The serious and critical axe-core violations of the current page (rule, impact, first nodes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page, axe_script: Path) -> None:
    """No serious or critical axe-core violation on the current page."""
    bad = axe_violations(page, axe_script)
    assert not bad, f"{page.url}: {json.dumps(bad, indent=1, ensure_ascii=False)}"
