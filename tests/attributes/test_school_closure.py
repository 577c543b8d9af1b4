"""A service a school closed (« Services en ligne », « Fermé ») gives no ticket to its persons.

Proven at the CAS protocol level: no service ticket (a French page saying the school closed
it), no proxy ticket, while other services and other schools keep working.
"""

from __future__ import annotations

from cas_server.models import ServicePattern, ServiceTicket

from cas_educonnect.attributes.access import service_denial
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.staff.models import SchoolServiceSetting
from cas_educonnect.staff.services import set_service_open

from .cas_helpers import ENT, NOTES, cas_login, ticket_of
from .test_proxy import pgt_for, proxy_ticket


def close(school, name="Notes et absences"):
    set_service_open(school, ServicePattern.objects.get(name=name), False)


def test_closed_service_gives_no_ticket_to_the_school_pupil(client, cas):
    close(cas.college)
    response = cas_login(client, "ines.durand", service=NOTES)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Collège Jean Moulin a fermé le service en ligne Notes et absences" in text
    assert not ServiceTicket.objects.exists()
    # The same SSO session still gets the ENT, and a CAS 3 validation of it works.
    ticket = ticket_of(client.get("/cas/login", {"service": ENT}))
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": ENT}).content.decode()
    assert "<cas:user>ines.durand</cas:user>" in body
    # Reopened: the ticket is issued and validates.
    set_service_open(cas.college, ServicePattern.objects.get(name="Notes et absences"), True)
    ticket = ticket_of(client.get("/cas/login", {"service": NOTES}))
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": NOTES}).content.decode()
    assert "authenticationSuccess" in body


def test_closed_service_gives_no_proxy_ticket(client, cas):
    ServicePattern.objects.update(proxy=True)
    close(cas.college)
    cas_login(client, "ines.durand")
    pgt = pgt_for(client, "ines.durand")
    pt, body = proxy_ticket(client, pgt, NOTES)
    assert pt is None and "UNAUTHORIZED_USER" in body
    assert proxy_ticket(client, pgt, ENT)[0] is not None


def test_parent_keeps_a_service_open_in_one_of_his_schools(client, cas):
    # Paul has two children in the collège and one in the école.
    close(cas.college)
    assert "ticket=" in cas_login(client, "paul.martin", service=NOTES)["Location"]
    close(cas.ecole)
    assert client.get("/cas/login", {"service": NOTES}).status_code == 403


def test_other_schools_and_never_set_services_are_not_refused(client, cas):
    close(cas.ecole)
    assert "ticket=" in cas_login(client, "ines.durand", service=NOTES)["Location"]
    assert service_denial(load_subject("ines.durand"), NOTES) is None


def test_the_ent_is_not_the_school_s_to_close(cas):
    """Seed 004 §2.1: the school's ENT is not among the services it opens or closes."""
    ent = ServicePattern.objects.get(name="ENT")
    SchoolServiceSetting.objects.create(establishment=cas.college, service_pattern=ent, is_open=False)
    assert service_denial(load_subject("ines.durand"), ENT) is None


def test_the_policies_are_pluggable(cas, settings):
    close(cas.college)
    settings.CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES = []
    assert service_denial(load_subject("ines.durand"), NOTES) is None
