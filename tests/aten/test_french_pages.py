"""The parents' pages in proper French: elision before a name, one spelling of ÉduConnect, the
service named with a neutral phrasing, the link's validity said alike on the page and in the email."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail

from cas_educonnect.models import AccountKind

from .conftest import cas_login, text

PASSWORD = "Tilleul-Vert-2026"


@pytest.fixture
def parent_account(pupil_factory, representative_factory, account_factory):
    arthur = pupil_factory(first_name="Arthur", last_name="Durand", birth_date=datetime.date(2012, 3, 14))
    ines = pupil_factory(first_name="Inès", last_name="Durand", birth_date=datetime.date(2010, 6, 1))
    parent = representative_factory(children=[arthur, ines], first_name="Paul", last_name="Durand")
    return account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[parent])


def activate(client, account, demo_service):
    cas_login(client, account.identifier, account.clear_provisional, service=demo_service)
    page = text(client.get("/cas/aten/activate/"))
    form = re.findall(r'name="(birth_date_\d+)"', page)
    data = dict(zip(form, ("14/03/2012", "01/06/2010"), strict=True))
    data.update(new_password1=PASSWORD, new_password2=PASSWORD, email="paul@ex.fr", email2="paul@ex.fr")
    return page, text(client.post("/cas/aten/activate/", data))


@pytest.mark.django_db
def test_birth_dates_elide_and_site_name_has_its_accent(client, parent_account, demo_service):
    page, _ = activate(client, parent_account, demo_service)
    assert "Date de naissance d'Arthur Durand" in page and "Date de naissance d'Inès Durand" in page
    assert "de Arthur" not in page and "de Inès" not in page
    assert "ÉduConnect" in page and "EduConnect" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("days", [92, 30])
def test_page_and_email_give_the_same_validity(client, settings, parent_account, demo_service, days):
    settings.CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY = days * 86400
    _, done = activate(client, parent_account, demo_service)
    sentence = f"Ce lien est valable {days} jours."
    assert sentence in done and "trois mois" not in done
    assert sentence in mail.outbox[-1].body


@pytest.mark.django_db
def test_the_service_is_named_without_a_bare_preposition(client, demo_service):
    page = text(client.get("/cas/login", {"service": demo_service}, follow=True))
    assert "Connectez-vous pour accéder au service « ENT de démonstration »." in page
    assert "à ENT" not in page
