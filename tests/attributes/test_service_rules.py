"""A service's audience, its SIECLE module and its experimental schools, proven at the CAS protocol level.

Like the « Fermé » closure: no service ticket (a French page saying why), no proxy ticket,
while the persons the service is for get a ticket that validates.
"""

from __future__ import annotations

import html

from cas_server.models import ServicePattern, ServiceTicket

from cas_educonnect.attributes.access import service_denial
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.models import ServiceAudience, ServiceCategory, ServiceProfile
from cas_educonnect.staff.models import SchoolSettings
from cas_educonnect.staff.services import set_service_open

from .cas_helpers import ENT, NOTES, cas_login, register_service, ticket_of
from .test_proxy import pgt_for, proxy_ticket

CAHIER = "https://cahier.example.org/"


def profile(name="Notes et absences", **fields) -> ServiceProfile:
    ServiceProfile.objects.filter(service_pattern__name=name).update(**fields)
    return ServiceProfile.objects.get(service_pattern__name=name)


def validates(client, service: str) -> bool:
    ticket = ticket_of(client.get("/cas/login", {"service": service}))
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": service}).content.decode()
    return "authenticationSuccess" in body


def test_representatives_only_service_refuses_pupils_and_serves_parents(client, cas):
    profile(audience=ServiceAudience.REPRESENTATIVES)
    response = cas_login(client, "ines.durand", service=NOTES)
    assert response.status_code == 403
    assert "Notes et absences est réservé aux représentants légaux" in html.unescape(response.content.decode())
    assert not ServiceTicket.objects.exists()
    assert validates(client, ENT)  # the same SSO session keeps the other services
    parent = client.__class__()
    assert "ticket=" in cas_login(parent, "paul.martin", service=NOTES)["Location"]
    assert validates(parent, NOTES)


def test_pupils_only_service_refuses_parents_also_by_proxy(client, cas):
    ServicePattern.objects.update(proxy=True)
    profile(audience=ServiceAudience.PUPILS)
    assert cas_login(client, "paul.martin", service=NOTES).status_code == 403
    pgt = pgt_for(client, "paul.martin")
    pt, body = proxy_ticket(client, pgt, NOTES)
    assert pt is None and "UNAUTHORIZED_USER" in body
    pupil = client.__class__()
    cas_login(pupil, "ines.durand")
    assert validates(pupil, NOTES)


def test_a_service_needing_a_siecle_module_only_in_schools_using_it(client, cas):
    profile(siecle_module="notes")
    response = cas_login(client, "ines.durand", service=NOTES)
    assert response.status_code == 403
    assert "Collège Jean Moulin n'utilise pas le module SIECLE" in html.unescape(response.content.decode())
    SchoolSettings.objects.create(establishment=cas.ecole, siecle_modules=["notes"])
    assert service_denial(load_subject("ines.durand"), NOTES) is not None  # another school's modules
    assert service_denial(load_subject("paul.martin"), NOTES) is None  # one of his schools uses it
    SchoolSettings.objects.create(establishment=cas.college, siecle_modules=["notes", "vie_scolaire"])
    assert validates(client, NOTES)


def test_experimental_academic_service_only_in_listed_schools_which_may_close_it(client, cas):
    pattern = register_service(CAHIER, ServiceCategory.ACADEMIC, "Cahier de textes")
    tried = profile("Cahier de textes", experimental=True)
    tried.experimental_schools.add(cas.college)
    cas_login(client, "ines.durand")
    assert validates(client, CAHIER)
    lycee = client.__class__()
    response = cas_login(lycee, "hugo.leroy", service=CAHIER)
    assert response.status_code == 403
    assert "Cahier de textes n'est pas proposé dans votre établissement" in html.unescape(response.content.decode())
    set_service_open(cas.college, ServicePattern.objects.get(pk=pattern.pk), False)  # a listed school may close it
    assert client.get("/cas/login", {"service": CAHIER}).status_code == 403
    tried.experimental = False  # academic: not the school's to close
    tried.save()
    assert validates(client, CAHIER)


def test_a_profile_change_reaches_the_memoized_patterns_at_once(client, cas):
    cas_login(client, "ines.durand")
    assert validates(client, NOTES)  # the patterns (with their profile) are now in memory
    notes = ServiceProfile.objects.get(service_pattern__name="Notes et absences")
    notes.audience = ServiceAudience.REPRESENTATIVES
    notes.save()
    assert client.get("/cas/login", {"service": NOTES}).status_code == 403
