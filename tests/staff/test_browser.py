"""Browser test (Playwright + Debian chromium): staff login with a TOTP code computed in the
test, notification of a division, download of the letters PDF."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from django_otp.oath import TOTP
from pypdf import PdfReader

from cas_educonnect.models import Account, AccountState

from .conftest import PASSWORD, make_staff

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Debian chromium not installed at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True)
def test_staff_notifies_a_division_and_downloads_the_pdf(live_server, school_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM is used beside Playwright's loop
    school = school_factory("Collège Web", "Webmark")
    head = make_staff("head.web", school.establishment)
    device = head.totp
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(accept_downloads=True, locale="fr-FR").new_page()
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", "head.web")
        page.fill("#id_password", PASSWORD)
        page.fill("#id_otp_token", f"{TOTP(device.bin_key).token():06d}")
        page.click("input[type=submit]")
        page.wait_for_selector("#educonnect-tools")
        page.click("#educonnect-tools a[href$='/notify/']")
        page.select_option("#id_audience", "pupils")
        page.check(f"input[name=divisions][value='{school.divisions[0].pk}']")
        page.click("#notify-filters input[type=submit]")
        assert page.locator("#notify-rows input[name=pair]").count() == 2
        page.click("#notify-submit")
        page.wait_for_selector("#job-status[data-status=done]")
        with page.expect_download() as info:
            page.click("#job-downloads a")
        with open(info.value.path(), "rb") as handle:
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
        browser.close()
    for account in school.pupil_accounts[:2]:
        account = Account.objects.get(pk=account.pk)
        assert account.state == AccountState.NOTIFIED
        assert account.identifier in text
