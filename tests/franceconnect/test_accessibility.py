"""axe-core and keyboard on the FranceConnect pages (tests/accessibility.py).

The error pages are reached through their real URLs with a state this browser never got;
the button, the first link and the owner's page with the node oidc-provider of conftest.py.
"""

from __future__ import annotations

import datetime
import re

import pytest

from cas_educonnect.models import AccountKind
from cas_educonnect.routes.franceconnect.models import FranceConnectLink
from cas_educonnect.routes.sms.backends import locmem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "+33612345678"
# The identity fc_provider.mjs gives (shown on the first-link pages, kept in the session only).
KNOWN_TEXT = ("Angela Claire Louise", "DUBOIS")
FLOWS = {
    "test_error_pages": ("franceconnect/error", "franceconnect/logout_error"),
    "test_button_first_link_and_account_pages": (
        "portal/educonnect#franceconnect",
        "franceconnect/link#mobile",
        "franceconnect/link#mobile-errors",
        "franceconnect/link#code",
        "franceconnect/link#dates",
        "aten/account#franceconnect",
        "franceconnect/account#franceconnect-only",
        "aten/change_password#first",
        "franceconnect/account",
        "franceconnect/account#unlinked",
    ),
}


@pytest.fixture
def outbox(settings):
    settings.CAS_EDUCONNECT_SMS_BACKEND = "cas_educonnect.routes.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def test_error_pages(sweep, page, live_server):
    page.goto(f"{live_server.url}/cas/franceconnect/callback?state={'0' * 64}&code=stolen")
    sweep.check("franceconnect/error")
    assert page.locator("[data-reason=no_pending_state]").count() == 1
    page.goto(f"{live_server.url}/cas/franceconnect/logout-callback?state={'0' * 64}")
    sweep.check("franceconnect/logout_error")
    sweep.finish()


@pytest.mark.node
def test_button_first_link_and_account_pages(
    sweep, page, live_server, fc, service, outbox, pupil_factory, representative_factory, account_factory
):
    leo = pupil_factory(first_name="Léo", last_name="Dubois", birth_date=datetime.date(2012, 5, 3))
    rep = representative_factory(children=[leo], last_name="Dubois", first_name="Angela", mobile=MOBILE)
    account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[rep])

    page.goto(f"{live_server.url}/cas/login?service={service}&idpId=educonnect")
    sweep.check("portal/educonnect#franceconnect", form="#login-form")
    page.click("#franceconnect-login")  # to the provider, which logs Angela in and comes back
    page.wait_for_url("**/cas/franceconnect/link")
    sweep.check("franceconnect/link#mobile", form="main form")
    page.fill("input[name=mobile]", "12")
    sweep.submit("main form")
    sweep.check("franceconnect/link#mobile-errors", form="main form")
    page.fill("input[name=mobile]", "06 12 34 56 78")
    sweep.submit("main form")
    sweep.check("franceconnect/link#code", form="main form")
    page.fill("input[name=code]", re.search(r"\b(\d{6})\b", outbox[-1].body).group(1))
    sweep.submit("main form")
    sweep.check("franceconnect/link#dates", form="main form")
    page.fill("input[type=date]", "2012-05-03")
    sweep.submit("main form")
    page.wait_for_url(f"{service}**")
    link = FranceConnectLink.objects.get()

    page.goto(f"{live_server.url}/cas/aten/account/")
    sweep.check("aten/account#franceconnect")
    assert page.locator("#franceconnect-linked").count() == 1
    # Activated by the first link without a password: FranceConnect only, no unlink yet.
    assert page.locator("#franceconnect-only").count() == 1
    page.goto(f"{live_server.url}/cas/franceconnect/unlink")
    sweep.check("franceconnect/account#franceconnect-only")
    page.goto(f"{live_server.url}/cas/aten/account/password/")
    sweep.check("aten/change_password#first", form="main form")
    page.fill("input[name=new_password1]", "Enfin-un-mot-de-passe-42")
    page.fill("input[name=new_password2]", "Enfin-un-mot-de-passe-42")
    sweep.submit("main form")
    page.goto(f"{live_server.url}/cas/franceconnect/unlink")
    sweep.check("franceconnect/account", form="main form")
    sweep.submit("main form")
    sweep.check("franceconnect/account#unlinked")
    assert not FranceConnectLink.objects.filter(pk=link.pk).exists()
    sweep.finish()
