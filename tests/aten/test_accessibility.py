"""axe-core and keyboard on the ATEN pages: activation, email links, self-service, account (tests/accessibility.py).

Every page is reached from the "Élèves ou parents" form or from the link of a real email.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import Account, AccountKind, AccountReport, AccountState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tilleul-Vert-2026"
FLOWS = {
    "test_activation_email_link_report_and_cannot_activate": (
        "aten/confirm_report",
        "aten/reported",
        "aten/cannot_activate",
        "aten/activate",
        "aten/activate#errors",
        "aten/check_email",
        "aten/pending",
        "aten/confirm_email",
        "aten/email_confirmed",
        "aten/email_confirmed#reused",
    ),
    "test_lost_identifier_and_lost_password": (
        "aten/lost_identifier",
        "aten/sent",
        "aten/lost_password",
        "aten/sent#password",
        "aten/password_reset",
        "aten/password_reset_done",
        "aten/link_invalid#password",
    ),
    "test_activation_code": ("aten/code", "aten/code#errors"),
    "test_account_pages": (
        "aten/account",
        "aten/change_password",
        "aten/change_password#errors",
        "aten/change_email",
        "aten/group",
        "aten/group#errors",
    ),
}


@pytest.fixture
def service(live_server) -> str:
    demo_services.run(DemoContext(base_url=live_server.url))
    return f"{live_server.url}/demo-ent/"


@pytest.fixture
def parent(pupil_factory, representative_factory):
    """Paul Durand, representative of Léa (born 2012-03-14) and Tom."""
    lea = pupil_factory(first_name="Léa", last_name="Durand", birth_date=datetime.date(2012, 3, 14))
    tom = pupil_factory(first_name="Tom", last_name="Durand", birth_date=datetime.date(2009, 11, 2))
    return representative_factory(children=[lea, tom], first_name="Paul", last_name="Durand")


def educonnect_login(sweep, live_server, service: str, username: str, password: str) -> None:
    sweep.page.context.clear_cookies()
    sweep.page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    sweep.page.fill("#id_username", username)
    sweep.page.fill("#id_password", password)
    sweep.submit("#login-form")


def mail_link(part: str) -> str:
    return next(u for u in re.findall(r"https?://[^\s\"<>]+", mail.outbox[-1].body) if part in u)


def test_activation_email_link_report_and_cannot_activate(
    sweep, page, live_server, service, parent, pupil_factory, representative_factory, account_factory
):
    other = representative_factory(children=[pupil_factory(first_name="Zoé")], last_name="Roux")
    reporting = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[other])
    undated = account_factory(kind=AccountKind.PUPIL, pupils=[pupil_factory(birth_date=None)])
    account = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent])

    # "I am not the legal representative of this pupil", from the activation page.
    educonnect_login(sweep, live_server, service, reporting.identifier, reporting.clear_provisional)
    page.locator("main form[action*='/report/'] button").first.click()
    sweep.check("aten/confirm_report", form="#confirm-report")
    assert not AccountReport.objects.filter(account=reporting).exists()
    page.locator("#confirm-report button[type=submit]").click()
    sweep.check("aten/reported")
    assert AccountReport.objects.filter(account=reporting).exists()
    # No birth date known to the school: no online activation.
    educonnect_login(sweep, live_server, service, undated.identifier, undated.clear_provisional)
    sweep.check("aten/cannot_activate")

    educonnect_login(sweep, live_server, service, account.identifier, account.clear_provisional)
    sweep.check("aten/activate", form="main form")
    page.get_by_label(re.compile("Léa Durand")).fill("2012-03-15")  # wrong
    page.get_by_label(re.compile("Tom Durand")).fill("2009-11-02")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.fill("input[name=email]", "paul@ex.fr")
    page.fill("input[name=email2]", "paul@ex.fr")
    sweep.submit("main form")
    sweep.check("aten/activate#errors", form="main form")
    page.get_by_label(re.compile("Léa Durand")).fill("2012-03-14")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    sweep.submit("main form")
    sweep.check("aten/check_email")

    educonnect_login(sweep, live_server, service, account.identifier, PASSWORD)
    sweep.check("aten/pending", form="main form")

    # The link opened in another browser: confirmed, no login here.
    page.context.clear_cookies()
    link = mail_link("/cas/aten/email/")
    page.goto(link)
    sweep.check("aten/confirm_email", form="main form")
    sweep.submit("main form")
    sweep.check("aten/email_confirmed")
    assert Account.objects.get(pk=account.pk).state == AccountState.ACTIVE
    page.goto(link)  # opened again (a second device): it says the address is already confirmed
    sweep.check("aten/email_confirmed#reused")
    sweep.finish()


def test_lost_identifier_and_lost_password(sweep, page, live_server, service, parent, account_factory):
    account = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        representatives=[parent],
        state=AccountState.ACTIVE,
        password=make_password("Ancien-1"),
        email="paul@ex.fr",
        email_validated=True,
    )
    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    page.click("#lost-identifier")
    sweep.check("aten/lost_identifier", form="main form")
    page.fill("input[name=email]", "paul@ex.fr")
    sweep.submit("main form")
    sweep.check("aten/sent")
    assert account.identifier in mail.outbox[-1].body

    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    page.click("#lost-password")
    sweep.check("aten/lost_password", form="main form")
    page.fill("input[name=identifier]", account.identifier)
    sweep.submit("main form")
    sweep.check("aten/sent#password")

    link = mail_link("/cas/aten/reset/")
    page.goto(link)
    sweep.check("aten/password_reset", form="main form")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    sweep.submit("main form")
    sweep.check("aten/password_reset_done")
    page.goto(link)
    sweep.check("aten/link_invalid#password")
    sweep.finish()


def test_account_pages(sweep, page, live_server, service, parent, account_factory):
    account = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        representatives=[parent],
        state=AccountState.ACTIVE,
        password=make_password(PASSWORD),
        email="paul@ex.fr",
        email_validated=True,
    )
    educonnect_login(sweep, live_server, service, account.identifier, PASSWORD)
    assert page.locator("#cas-user").inner_text() == account.identifier

    page.goto(f"{live_server.url}/cas/aten/account/")
    sweep.check("aten/account")
    page.click("main a[href$='/account/password/']")
    sweep.check("aten/change_password", form="main form")
    page.fill("input[name=old_password]", "not-my-password")
    page.fill("input[name=new_password1]", "Nouveau-Pass-2026")
    page.fill("input[name=new_password2]", "Nouveau-Pass-2026")
    sweep.submit("main form")
    sweep.check("aten/change_password#errors", form="main form")

    page.goto(f"{live_server.url}/cas/aten/account/")
    page.click("main a[href$='/account/email/']")
    sweep.check("aten/change_email", form="main form")

    page.goto(f"{live_server.url}/cas/aten/account/")
    page.click("main a[href$='/account/group/']")
    sweep.check("aten/group", form="main form")
    page.fill("input[name=identifier]", "someone.else")
    page.fill("input[name=password]", "not-the-password")
    sweep.submit("main form")
    sweep.check("aten/group#errors", form="main form")
    sweep.finish()


def test_activation_code(sweep, page, live_server, service, parent, account_factory, settings):
    from cas_educonnect.accounts import codes

    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    account = account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent])
    clear = codes.issue(account, parent.pupils.get(first_name="Léa"))
    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    page.click("#educonnect-aten-code-start")
    sweep.check("aten/code", form="main form")
    page.fill("input[name=code]", clear)
    page.fill("input[name=birth_date]", "2012-03-15")  # wrong
    sweep.submit("main form")
    sweep.check("aten/code#errors", form="main form")
    sweep.finish()
