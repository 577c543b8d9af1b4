"""« Ouverture / fermeture »: global activation at the head's first visit, audience shown, SIECLE
module greyed, experimental academic service only in listed schools (seed 004 §2.1, §1.2.4)."""

from __future__ import annotations

import html

import pytest
from cas_server.models import ServicePattern
from django.urls import reverse

from cas_educonnect.models import ServiceAudience, ServiceCategory, ServiceProfile
from cas_educonnect.staff.models import AuditAction, AuditLog, SchoolSettings
from cas_educonnect.staff.services import open_services, services_for_account

from .conftest import verified_client

URL = "/admin/educonnect/services/"


def service(name: str, pos: int, **profile) -> ServicePattern:
    pattern = ServicePattern.objects.create(name=name, pattern=f"^https://{pos}\\.example/", pos=pos)
    ServiceProfile.objects.create(service_pattern=pattern, **profile)
    return pattern


def row(page: str, name: str) -> str:
    return next(part for part in page.split("<tr") if name in part)


@pytest.mark.django_db
def test_activation_then_audience_module_and_experimental_rows(client, school_a, school_b, head_a):
    school = school_a.establishment
    notes = service("Notes", 1, category=ServiceCategory.FOLLOW_UP, siecle_module="notes")
    payment = service("Paiement", 2, audience=ServiceAudience.REPRESENTATIVES)
    cahier = service("Cahier de textes", 3, category=ServiceCategory.ACADEMIC, experimental=True)
    ServiceProfile.objects.get(service_pattern=cahier).experimental_schools.add(school)
    verified_client(client, head_a)

    page = html.unescape(client.get(URL, {"school": school.pk}).content.decode())
    assert "ne sont pas encore activés" in page and 'name="activate"' in page
    assert 'name="service"' not in page  # everything greyed until the activation
    client.post(URL, {"school": school.pk, "service": payment.pk, "open": "1"})
    assert payment not in open_services(school)

    client.post(URL, {"school": school.pk, "activate": "1"})
    settings = SchoolSettings.objects.get(establishment=school)
    assert settings.services_activated_at and settings.services_activated_by == "head.a"
    assert AuditLog.objects.filter(action=AuditAction.SERVICES_ACTIVATED).count() == 1
    page = html.unescape(client.get(URL, {"school": school.pk}).content.decode())
    assert "ne sont pas encore activés" not in page
    assert "Représentants légaux seulement" in row(page, "Paiement")
    assert "nécessite SIECLE Notes" in row(page, "Notes") and 'name="service"' not in row(page, "Notes")
    assert "expérimental" in row(page, "Cahier de textes") and 'name="service"' in row(page, "Cahier de textes")

    client.post(URL, {"school": school.pk, "service": notes.pk, "open": "1"})  # forged: greyed
    assert notes not in open_services(school)
    settings.siecle_modules = ["notes"]
    settings.save()
    client.post(URL, {"school": school.pk, "service": notes.pk, "open": "1"})
    client.post(URL, {"school": school.pk, "service": payment.pk, "open": "1"})
    client.post(URL, {"school": school.pk, "service": cahier.pk, "open": "1"})
    assert open_services(school) == [notes, payment, cahier]
    assert cahier not in open_services(school_b.establishment)  # not tried there

    # The portal lists a service to the audience it is for only.
    pupil = {s.name for _school, items in services_for_account(school_a.pupil_accounts[1]) for s in items}
    parent = {s.name for _school, items in services_for_account(school_a.rep_accounts[1]) for s in items}
    assert pupil == {"Notes", "Cahier de textes"} and parent == {"Notes", "Paiement", "Cahier de textes"}


@pytest.mark.django_db
def test_experimental_service_is_not_on_the_page_of_an_unlisted_school(client, school_b):
    from .conftest import make_staff

    service("Cahier de textes", 3, category=ServiceCategory.ACADEMIC, experimental=True)
    verified_client(client, make_staff("head.b", school_b.establishment))
    page = client.get(reverse("admin:educonnect_services"), {"school": school_b.establishment.pk}).content.decode()
    assert "Cahier de textes" not in page
