"""Real-browser walks (Playwright + Debian chromium, tests/browser.py): representative activation, lost password."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.models import AccountKind, AccountState

pytestmark = [pytest.mark.browser]
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots" / "aten"


@pytest.fixture
def people(transactional_db, pupil_factory, representative_factory, account_factory):
    lea = pupil_factory(first_name="Léa", last_name="Durand", birth_date=datetime.date(2012, 3, 14))
    parent = representative_factory(children=[lea], first_name="Paul", last_name="Durand")
    return {"lea": lea, "parent_account": account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent])}


def mail_link(part: str) -> str:
    return next(u for u in re.findall(r"https?://[^\s\"<>]+", mail.outbox[-1].body) if part in u)


def test_representative_first_login_email_link_then_ticket_at_the_demo_service(live_server, page, people):
    demo_services.run(DemoContext(base_url=live_server.url))
    account = people["parent_account"]
    page.goto(f"{live_server.url}/demo-ent/")
    assert "/cas/login" in page.url
    page.locator("#profil-educonnect a").click()  # "Indiquez votre profil": Élèves ou parents
    page.locator("input[name=username]").fill(account.identifier)
    page.locator("input[name=password]").fill(account.clear_provisional)
    page.locator("#login-submit").click()

    page.wait_for_url("**/cas/aten/activate/")
    page.get_by_label(re.compile("Date de naissance de Léa Durand")).fill("2012-03-14")
    page.locator("input[name=new_password1]").fill("Tilleul-Vert-2026")
    page.locator("input[name=new_password2]").fill("Tilleul-Vert-2026")
    page.locator("input[name=email]").fill("paul@ex.fr")
    page.locator("input[name=email2]").fill("paul@ex.fr")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("text=Consultez vos courriels")
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVATING

    page.goto(mail_link("/cas/aten/email/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/demo-ent/")
    assert page.locator("#cas-user").inner_text() == account.identifier
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and account.email_validated


def test_lost_password_by_email_link_then_login(live_server, page, people):
    demo_services.run(DemoContext(base_url=live_server.url))
    account = people["parent_account"]
    account.state, account.password, account.provisional_password = AccountState.ACTIVE, make_password("Ancien-1"), ""
    account.email, account.email_validated = "paul@ex.fr", True
    account.save()

    page.goto(f"{live_server.url}/demo-ent/")
    page.locator("#profil-educonnect a").click()
    page.locator("#lost-password").click()
    page.locator("input[name=identifier]").fill(account.identifier)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("text=Demande reçue")

    page.goto(mail_link("/cas/aten/reset/"))
    page.locator("input[name=new_password1]").fill("Nouveau-Pass-2026")
    page.locator("input[name=new_password2]").fill("Nouveau-Pass-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("text=Mot de passe modifié")
    page.goto(f"{live_server.url}/demo-ent/")
    if page.locator("#profil-educonnect a").count():  # the portal may remember the profile
        page.locator("#profil-educonnect a").click()
    page.locator("input[name=username]").fill(account.identifier)
    page.locator("input[name=password]").fill("Nouveau-Pass-2026")
    page.locator("#login-submit").click()
    page.wait_for_url(f"{live_server.url}/demo-ent/")
    assert page.locator("#cas-user").inner_text() == account.identifier


def test_first_login_with_an_activation_code_from_the_letter(live_server, page, people, settings):
    """A parent types the CAR of his letter and Léa's birth date, chooses a password, validates his email."""
    from cas_educonnect.staff.notify import printable

    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    demo_services.run(DemoContext(base_url=live_server.url))
    account = people["parent_account"]
    (letter,) = printable([(account.pk, people["lea"].pk)])  # what the school prints
    assert letter.activation_code

    page.goto(f"{live_server.url}/demo-ent/")
    page.locator("#profil-educonnect a").click()
    page.locator("#educonnect-aten-code-start").click()
    page.wait_for_url("**/cas/aten/code/**")
    page.get_by_label("Code d'activation").fill(letter.activation_code.lower())
    page.get_by_label("Date de naissance de l'élève").fill("2012-03-13")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("text=Le code d'activation ou la date de naissance est incorrect")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "code-wrong.png"), full_page=True)
    page.get_by_label("Date de naissance de l'élève").fill("2012-03-14")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/cas/aten/activate/")
    assert page.locator("input[name^=birth_date_]").count() == 0  # Léa's date was given with the code
    page.locator("input[name=new_password1]").fill("Tilleul-Vert-2026")
    page.locator("input[name=new_password2]").fill("Tilleul-Vert-2026")
    page.locator("input[name=email]").fill("paul@ex.fr")
    page.locator("input[name=email2]").fill("paul@ex.fr")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "code-activate.png"), full_page=True)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("text=Consultez vos courriels")

    page.goto(mail_link("/cas/aten/email/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/demo-ent/")
    assert page.locator("#cas-user").inner_text() == account.identifier
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE and not account.activation_codes.exists()
