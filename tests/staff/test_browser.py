"""Browser test (Playwright + Debian chromium): staff login with a TOTP code computed in the
test, notification of a division, download of the letters PDF."""

from __future__ import annotations

import io

import pytest
from django_otp.oath import TOTP
from pypdf import PdfReader

from cas_educonnect.models import Account, AccountState

from .conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_staff_notifies_a_division_and_downloads_the_pdf(live_server, page, school_factory):
    school = school_factory("Collège Web", "Webmark")
    head = make_staff("head.web", school.establishment)
    device = head.totp
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
    for account in school.pupil_accounts[:2]:
        account = Account.objects.get(pk=account.pk)
        assert account.state == AccountState.NOTIFIED
        assert account.identifier in text
