"""Browser test (Playwright + Debian chromium): staff login with a TOTP code computed in the
test, notification of a division, download of the letters PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cas_server.models import ServiceTicket
from django_otp.oath import TOTP
from pypdf import PdfReader

from cas_educonnect.models import Account, AccountState, ServiceCategory
from cas_educonnect.staff.models import SchoolServiceSetting
from tests.attributes.cas_helpers import NOTES, register_service, set_password
from tests.attributes.cas_helpers import PASSWORD as PASSWORD_PERSON

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


SHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots" / "userfinish"


@pytest.mark.django_db(transaction=True)
def test_head_closes_a_service_and_his_pupil_gets_no_ticket(live_server, page, chromium, school_factory, settings):
    """« Services en ligne »: the head closes a follow-up service; his pupil is refused it, in French."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    school = school_factory("Collège Fermé", "Ferme")
    head = make_staff("head.closed", school.establishment)
    notes = register_service(NOTES, ServiceCategory.FOLLOW_UP, "Notes et absences")
    SchoolServiceSetting.objects.create(establishment=school.establishment, service_pattern=notes)
    account = school.pupil_accounts[1]
    account.state = AccountState.ACTIVE
    account.save()
    set_password(account)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "head.closed")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{TOTP(head.totp.bin_key).token():06d}")
    page.click("input[type=submit]")
    page.wait_for_selector("#educonnect-tools")
    page.goto(f"{live_server.url}/admin/educonnect/services/?school={school.establishment.pk}")
    page.locator("#services-activation input[type=submit]").click()  # the head's first visit (004 §2.1)
    page.locator("#services tr", has_text="Notes et absences").locator("input[type=submit]").click()
    page.wait_for_selector("#services >> text=Fermé")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-services-closed-1280.png"), full_page=True)

    person = chromium.new_context(locale="fr-FR").new_page()
    for width in (1280, 375):
        person.set_viewport_size({"width": width, "height": 800})
        person.context.clear_cookies()
        person.goto(f"{live_server.url}/cas/login?service={NOTES}")
        person.locator("#profil-educonnect a").click()
        person.fill("input[name=username]", account.identifier)
        person.fill("input[name=password]", PASSWORD_PERSON)
        person.click("#login-submit")
        person.wait_for_selector("text=a fermé le service en ligne Notes et absences")
        assert "Collège Fermé a fermé le service en ligne Notes et absences" in person.inner_text("main")
        assert "ticket=" not in person.url
        person.screenshot(path=str(SHOTS / f"service-closed-{width}.png"), full_page=True)
    person.context.close()
    assert not ServiceTicket.objects.exists()
