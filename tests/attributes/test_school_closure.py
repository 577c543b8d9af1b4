"""A service a school closed (« Services en ligne », « Fermé ») gives no ticket to its persons.

Proven at the CAS protocol level: no service ticket (a French page saying the school closed
it), no proxy ticket, while other services and other schools keep working.
"""

from __future__ import annotations

import pytest
from cas_server.models import ServicePattern, ServiceTicket
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cas_educonnect.attributes.access import service_denial
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.core import memo
from cas_educonnect.staff import closure
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


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_closures_once_read_cost_no_query(cas):
    close(cas.college)
    subject, notes = load_subject("ines.durand"), ServicePattern.objects.get(name="Notes et absences")
    assert closure.school_closure(subject, notes)
    with CaptureQueriesContext(connection) as captured:
        assert closure.school_closure(subject, notes)
    assert len(captured) == 0, [q["sql"] for q in captured]


def test_a_closure_saved_here_is_obeyed_at_once(cas):
    subject, notes = load_subject("ines.durand"), ServicePattern.objects.get(name="Notes et absences")
    assert closure.school_closure(subject, notes) is None
    close(cas.college)
    assert closure.school_closure(subject, notes)
    # The category of the service changing makes it the school's no longer to close.
    notes.educonnect.category = "ent"
    notes.educonnect.save()
    assert closure.school_closure(subject, notes) is None


def test_a_closure_from_another_process_is_obeyed_within_a_second(cas, clock):
    subject, notes = load_subject("ines.durand"), ServicePattern.objects.get(name="Notes et absences")
    assert closure.school_closure(subject, notes) is None
    # Another app server closed the service: here only the shared version moves.
    SchoolServiceSetting.objects.bulk_create(
        [SchoolServiceSetting(establishment=cas.college, service_pattern=notes, is_open=False)]
    )
    cache.set(closure.VERSION_KEY, "written-by-another-process")
    clock[0] += memo.VERSION_CHECK_SECONDS / 2
    assert closure.school_closure(subject, notes) is None
    clock[0] += memo.VERSION_CHECK_SECONDS / 2
    assert closure.school_closure(subject, notes)


def test_zero_reads_the_closures_at_every_ticket(cas, settings):
    settings.CAS_EDUCONNECT_SCHOOL_CLOSURE_CACHE_SECONDS = 0
    subject, notes = load_subject("ines.durand"), ServicePattern.objects.get(name="Notes et absences")
    closure.school_closure(subject, notes)
    SchoolServiceSetting.objects.bulk_create(
        [SchoolServiceSetting(establishment=cas.college, service_pattern=notes, is_open=False)]
    )
    assert closure.school_closure(subject, notes)
