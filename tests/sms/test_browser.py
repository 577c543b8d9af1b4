"""A parent registers by SMS in a real browser and lands on the demo ENT with his ticket."""

from __future__ import annotations

import re

import pytest

from cas_educonnect.demo import DemoContext
from cas_educonnect.demo import services as demo_services
from cas_educonnect.demo import sms as sms_demo
from cas_educonnect.models import Account

pytestmark = [pytest.mark.browser]


def test_demo_parent_registers_by_sms_and_reaches_the_demo_ent(live_server, page, sms_locmem, transactional_db):
    context = DemoContext(base_url=live_server.url)
    demo_services.run(context)
    sms_demo.run(context)

    page.goto(f"{live_server.url}/demo-ent/")
    assert "/cas/login" in page.url
    page.locator("#profil-educonnect a").click()  # "Élèves ou parents"
    page.locator("#educonnect-sms-start").click()  # "Je n'ai pas d'identifiant"
    page.wait_for_url("**/inscription-sms/?service=*")
    page.get_by_label("Nom", exact=True).fill("LAMBERT")
    page.get_by_label("Prénom", exact=True).fill("sophie")
    page.get_by_label("Numéro de téléphone portable").fill("06 12 34 56 78")
    page.get_by_role("button", name="Recevoir un code").click()

    page.wait_for_url("**/inscription-sms/code/")
    assert "un code a été envoyé" in page.content()
    code = re.search(r"\b(\d{6})\b", sms_locmem[-1].body).group(1)
    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Valider").click()

    page.wait_for_url("**/dates-de-naissance/")
    page.get_by_label(re.compile("Date de naissance d’Hugo|Date de naissance d'Hugo")).fill("2012-03-14")
    page.get_by_label(re.compile("Date de naissance de Chloé")).fill("2008-09-02")
    page.get_by_role("button", name="Valider").click()

    page.wait_for_url("**/mot-de-passe/")
    identifier = page.locator("#educonnect-identifier").inner_text().strip()
    assert identifier.startswith("sophie.lambert")
    page.get_by_label("Choisissez un mot de passe").fill("Tilleuls-et-Port-2026")
    page.get_by_label("Confirmez le mot de passe").fill("Tilleuls-et-Port-2026")
    page.get_by_role("button", name="Activer mon compte").click()

    page.wait_for_url(f"{live_server.url}/demo-ent/")
    assert identifier in page.content()
    account = Account.objects.get(identifier=identifier)
    assert account.representatives.count() == 2 and account.state == "active"
