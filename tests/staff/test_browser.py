"""Browser test (Playwright + Debian chromium): staff login with a TOTP code computed in the
test, notification of a division, download of the letters PDF."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from cas_server.models import ServiceTicket
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from pypdf import PdfReader

from cas_educonnect.models import Account, AccountState, Pupil, Representative, ServiceCategory
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


@pytest.mark.django_db(transaction=True)
def test_head_records_refusals_from_the_slip_and_prints_the_letter(live_server, page, school_factory, settings):
    """The head downloads a representative's letter (slip at the bottom), then records what
    the returned slip says: refusal for the child, then for the representative himself."""
    settings.CAS_EDUCONNECT_ACADEMY_NAME = "Rennes"
    school = school_factory("Collège Coupon", "Coupon")
    head = make_staff("head.slip", school.establishment)
    account, rep, child = school.rep_accounts[1], school.reps[1], school.pupils[1]
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "head.slip")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{TOTP(head.totp.bin_key).token():06d}")
    page.click("input[type=submit]")
    page.wait_for_selector("#educonnect-tools")
    page.goto(f"{live_server.url}/admin/cas_educonnect/account/{account.pk}/change/")
    with page.expect_download() as info:
        page.click("#educonnect-support a[href$='/letter/']")
    with open(info.value.path(), "rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Académie de Rennes" in text and "Coupon-réponse" in text and "pour mon enfant" in text

    access = page.locator("#educonnect-access")
    child_line = access.locator(f"[data-access='pupil:{child.pk}']")
    rep_line = access.locator(f"[data-access='representative:{rep.pk}']")
    assert child_line.locator(".educonnect-access-state").inner_text() == "accède"
    child_line.locator("input[type=submit]").click()
    page.wait_for_selector(f"#educonnect-access [data-access='pupil:{child.pk}'][data-refused='1']")
    assert "Refus enregistré" in page.inner_text(".messagelist")
    assert rep_line.locator(".educonnect-access-state").inner_text() == "accède"
    rep_line.locator("input[type=submit]").click()
    page.wait_for_selector(f"#educonnect-access [data-access='representative:{rep.pk}'][data-refused='1']")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-refusals-1280.png"), full_page=True)
    assert Pupil.objects.get(pk=child.pk).services_refused
    assert Representative.objects.get(pk=rep.pk).services_refused

    # The account list shows the refusal too.
    page.goto(f"{live_server.url}/admin/cas_educonnect/account/?q={account.identifier}")
    assert "refusé" in page.inner_text("#result_list")


def _admin_login(page, live_server, username: str, device) -> None:
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{TOTP(device.bin_key).token():06d}")
    page.click("input[type=submit]")
    page.wait_for_selector("#educonnect-tools")


def _row_colours(page) -> list[str]:
    return page.eval_on_selector_all("#list-rows tbody tr", "rows => rows.map(r => getComputedStyle(r).color)")


@pytest.mark.django_db(transaction=True)
def test_head_sees_carried_over_accounts_in_red_before_and_after_the_rollover(
    live_server, chromium, school_factory, settings
):
    """The pupil list of a division, under the real CSP: only the account activated in an earlier
    year is red (and says « continuité »); after the rollover into the next year both are."""
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    school = school_factory("Collège Rentrée", "Rentree")
    head = make_staff("head.year", school.establishment)
    old, recent = school.pupil_accounts[0], school.pupil_accounts[1]
    for account, day in ((old, datetime.date(2025, 9, 10)), (recent, datetime.date(2026, 9, 3))):
        activated = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, activated_at=activated)

    page = chromium.new_context(locale="fr-FR").new_page()  # no CSP bypass: the inline colours must pass it
    page.set_default_timeout(20000)
    _admin_login(page, live_server, "head.year", head.totp)
    assert "2026-2027" in page.inner_text("#site-name, #header")
    url = (
        f"{live_server.url}/admin/educonnect/lists/?school={school.establishment.pk}&division={school.divisions[0].pk}"
    )
    page.goto(url)
    red, black = "rgb(206, 5, 0)", _row_colours(page)[1]
    assert _row_colours(page)[0] == red and black != red
    assert "continuité" in page.inner_text("#list-rows tbody tr:first-child")
    assert "continuité" not in page.inner_text("#list-rows tbody tr:nth-child(2)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-list-carried-over-1280.png"), full_page=True)

    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2027-2028"
    call_command("educonnect_rollover", "--format", "json")
    page.goto(url)
    assert "2027-2028" in page.inner_text("#site-name, #header")
    assert _row_colours(page) == [red, red]
    page.screenshot(path=str(SHOTS / "admin-list-after-rollover-1280.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/educonnect/stats/?school={school.establishment.pk}")
    captions = page.eval_on_selector_all("table.educonnect-stats caption", "cs => cs.map(c => c.textContent)")
    assert "Accès par catégorie et par mois (2027-2028)" in captions
    assert "Accès par MEFSTAT et par mois (2027-2028)" in captions
    assert page.locator("th", has_text="Notifiés ou en cours d'activation année courante").count() >= 1
    page.screenshot(path=str(SHOTS / "admin-stats-year-1280.png"), full_page=True)
    page.context.close()
