"""The demo's ATEN letters walk through activation to a ticket at the demo ENT, and replay after a rerun."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from cas_educonnect.models import Account, AccountState, Pupil

from .conftest import cas_login, follow_to_ticket, last_mail_to, link_from_mail

NEW = "Demo-Choisi-2026"


def demo_letters() -> dict[str, dict]:
    out = io.StringIO()
    call_command("educonnect_demo", "--json", "--base-url", "http://testserver", stdout=out)
    return {a["persona"].split(",")[0]: a for a in json.loads(out.getvalue())["accounts"] if a.get("route") == "aten"}


@pytest.mark.django_db
def test_demo_pupil_and_representative_walk_activation_to_the_demo_ent(client):
    letters = demo_letters()
    pupil, parent = letters["Élève"], letters["Représentant légal"]
    assert pupil["state"] == parent["state"] == "notified"
    arthur = Pupil.objects.get(jointure="DEMO-ATEN-ELV")
    service = "http://testserver/demo-ent/"
    common = {"new_password1": NEW, "new_password2": NEW, f"birth_date_{arthur.pk}": "17/05/2011"}

    cas_login(client, pupil["identifier"], pupil["password"], service=service)
    done = client.post("/cas/aten/activate/", {**common, "email": "", "email2": ""})
    assert follow_to_ticket(client, done).startswith("ST-")

    browser = client.__class__()
    cas_login(browser, parent["identifier"], parent["password"], service=service)
    browser.post("/cas/aten/activate/", {**common, "email": "philippe@ex.fr", "email2": "philippe@ex.fr"})
    link = link_from_mail(last_mail_to("philippe@ex.fr"), "/cas/aten/email/")
    assert follow_to_ticket(browser, browser.post(link)).startswith("ST-")
    assert set(
        Account.objects.filter(identifier__in=[pupil["identifier"], parent["identifier"]]).values_list(
            "state", flat=True
        )
    ) == {AccountState.ACTIVE}

    # `make demo` again: the same persons get fresh letters to walk the activation once more.
    again = demo_letters()
    assert again["Élève"]["identifier"] == pupil["identifier"] and again["Élève"]["state"] == "notified"
    assert Account.objects.get(identifier=parent["identifier"]).state == AccountState.NOTIFIED


@pytest.mark.django_db
def test_demo_car_persona_opens_its_account_with_the_code_and_stays_the_same_on_rerun(client, settings):
    settings.CAS_EDUCONNECT_ATEN_ACTIVATION_CODES = True
    (mother,) = [a for a in demo_letters().values() if a.get("car")]
    assert [a for a in demo_letters().values() if a.get("car")] == [mother]  # a rerun prints the same code
    response = client.post("/cas/aten/code/", {"code": mother["car"], "birth_date": "17/05/2011"})
    assert response.status_code == 302 and response["Location"] == "/cas/aten/activate/"
    done = client.post(
        "/cas/aten/activate/",
        {"new_password1": NEW, "new_password2": NEW, "email": "claire@ex.fr", "email2": "claire@ex.fr"},
    )
    assert done.status_code == 200
    account = Account.objects.get(identifier=mother["identifier"])
    assert account.state == AccountState.ACTIVATING and not account.activation_codes.exists()
    # Replayable: the next run puts the account back to "notified" with the same code.
    again = [a for a in demo_letters().values() if a.get("car")]
    assert again and again[0]["car"] == mother["car"]
    assert client.post("/cas/aten/code/", {"code": mother["car"], "birth_date": "17/05/2011"}).status_code == 302
