"""The portal: a person logged in without a service sees the services open for his school,
the welcome message, useful links and contact; closed and refused services are not listed."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import make_password

from cas_educonnect.models import AccountState, ServiceCategory
from cas_educonnect.staff.models import SchoolServiceSetting, SchoolSettings, UsefulLink
from tests.attributes.cas_helpers import ENT, NOTES, PASSWORD, cas_login, register_service, ticket_of


@pytest.mark.django_db
def test_logged_page_lists_the_open_services_of_the_school(client, school_a, settings):
    settings.CAS_LOGGED_TEMPLATE = "cas_educonnect/staff/portal_logged.html"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ent = register_service(ENT, ServiceCategory.ENT, "ENT du collège")
    notes = register_service(NOTES, ServiceCategory.FOLLOW_UP, "Notes et absences")
    for pattern, url in ((ent, ENT), (notes, NOTES)):
        pattern.educonnect.url = url
        pattern.educonnect.save()
    register_service("https://closed.example.org/", ServiceCategory.OTHER, "Service fermé")
    school = school_a.establishment
    for pattern in (ent, notes):
        SchoolServiceSetting.objects.create(establishment=school, service_pattern=pattern)
    SchoolSettings.objects.create(
        establishment=school, welcome_message="Bienvenue au collège", contact_active=True, contact_email="ce@a.fr"
    )
    UsefulLink.objects.create(establishment=school, label="Site du collège", url="https://college.example.org/")
    account = school_a.pupil_accounts[1]
    account.state, account.password = AccountState.ACTIVE, make_password(PASSWORD)
    account.save()

    ticket_of(cas_login(client, account.identifier))
    page = client.get("/cas/login").content.decode()
    assert "Bienvenue au collège" in page and "Site du collège" in page and "mailto:ce@a.fr" in page
    assert f'href="/cas/login?service={quote(ENT, safe="")}"' in page
    assert "Notes et absences" in page and "Service fermé" not in page

    pupil = account.pupils.get()
    pupil.services_refused = True
    pupil.save()
    page = client.get("/cas/login").content.decode()
    assert "ENT du collège" in page and "Notes et absences" not in page


@pytest.mark.django_db
def test_the_ent_is_open_in_every_school_of_the_person(client, school_a, settings):
    """The ENT is not opened school by school: a school without settings still lists it."""
    settings.CAS_LOGGED_TEMPLATE = "cas_educonnect/staff/portal_logged.html"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ent = register_service(ENT, ServiceCategory.ENT, "ENT du collège")
    ent.educonnect.url = ENT
    ent.educonnect.save()
    account = school_a.pupil_accounts[1]
    account.state, account.password = AccountState.ACTIVE, make_password(PASSWORD)
    account.save()
    ticket_of(cas_login(client, account.identifier))
    page = client.get("/cas/login").content.decode()
    assert "ENT du collège" in page and "Aucun service en ligne" not in page
