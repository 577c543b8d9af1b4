"""axe-core and keyboard on the "Je n'ai pas d'identifiant" pages (tests/accessibility.py).

The parent starts from the "Élèves ou parents" page and reads his codes in the locmem gateway.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.hashers import make_password

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import Account, AccountKind, AccountState

from .conftest import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOWS = {
    "test_registration_by_sms": (
        "sms/stopped",
        "sms/start",
        "sms/start#errors",
        "sms/code",
        "sms/code#errors",
        "sms/birth_dates",
        "sms/birth_dates#errors",
        "sms/password",
        "sms/returning",
    ),
}


@pytest.fixture
def demo(live_server) -> str:
    demo_services.run(DemoContext(base_url=live_server.url))
    return f"{live_server.url}/demo-ent/"


def start(sweep, last_name: str, first_name: str, mobile: str) -> None:
    page = sweep.page
    page.fill("input[name=last_name]", last_name)
    page.fill("input[name=first_name]", first_name)
    page.fill("input[name=mobile]", mobile)
    sweep.submit("main form")


def enter_code(sweep, code: str) -> None:
    sweep.page.fill("input[name=code]", code)
    sweep.submit("main form")


def test_registration_by_sms(
    sweep, page, live_server, demo, family, sms_locmem, pupil_factory, representative_factory, account_factory
):
    # A request that expired (or never started) ends on the "start again" page.
    page.goto(f"{live_server.url}/cas/inscription-sms/code/")
    sweep.check("sms/stopped")

    page.goto(f"{live_server.url}/cas/login?service={demo}&idpId=educonnect")
    page.click("#educonnect-sms-start")
    sweep.check("sms/start", form="main form")
    start(sweep, "", "élise", "12")
    sweep.check("sms/start#errors", form="main form")
    start(sweep, "dupre lefevre", "ELISE", "06 12 34 56 78")
    sweep.check("sms/code", form="main form")
    enter_code(sweep, "000000" if last_code(sms_locmem) != "000000" else "111111")
    sweep.check("sms/code#errors", form="main form")
    enter_code(sweep, last_code(sms_locmem))
    sweep.check("sms/birth_dates", form="main form")
    leo, ines = family["pupils"]
    page.get_by_label(re.compile("Léo")).fill("2012-05-04")  # wrong
    page.get_by_label(re.compile("Inès")).fill("2008-11-21")
    sweep.submit("main form")
    sweep.check("sms/birth_dates#errors", form="main form")
    page.get_by_label(re.compile("Léo")).fill("2012-05-03")
    sweep.submit("main form")
    sweep.check("sms/password", form="main form")
    identifier = page.locator("#educonnect-identifier").inner_text().strip()
    page.fill("input[name=new_password1]", "Tilleuls-et-Port-2026")
    page.fill("input[name=new_password2]", "Tilleuls-et-Port-2026")
    sweep.submit("main form")
    page.wait_for_url(f"{demo}**")
    assert page.locator("#cas-user").inner_text() == identifier
    assert Account.objects.get(identifier=identifier).state == AccountState.ACTIVE

    # Another parent whose account already covers every child is only told his identifier.
    child = pupil_factory(first_name="Hugo", last_name="Lambert", birth_date=datetime.date(2011, 1, 2))
    rep = representative_factory(children=[child], first_name="Sophie", last_name="Lambert", mobile="+33698765432")
    existing = account_factory(
        kind=AccountKind.REPRESENTATIVE,
        state=AccountState.ACTIVE,
        representatives=[rep],
        password=make_password("ancien-mot-de-passe"),
    )
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/cas/inscription-sms/?service={demo}")
    start(sweep, "Lambert", "Sophie", "06 98 76 54 32")
    enter_code(sweep, last_code(sms_locmem))
    sweep.check("sms/returning")
    assert page.locator("#educonnect-identifier").inner_text().strip() == existing.identifier
    sweep.finish()
