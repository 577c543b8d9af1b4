"""Subjects kept between tickets (attributes.shared): never a ticket from rows that changed.

The changes below are made with ``QuerySet.update()``, which sends no signal: as the AAF
import's SQL, another process or a change by hand, nothing tells this process. On
PostgreSQL the second ticket of each test is decided from the subject kept by the first;
elsewhere nothing is kept and the same behaviour follows from reading it again.
"""

from __future__ import annotations

import pytest
from cas_server.models import FilterAttributValue, ServicePattern, ServiceTicket
from django.db import connection

from cas_educonnect.attributes import shared
from cas_educonnect.core.memo import SharedMemo
from cas_educonnect.models import Pupil

from .cas_helpers import ENT, NOTES, cas_login, ticket_of

kept = pytest.mark.skipif(connection.vendor != "postgresql", reason="subjects are kept on PostgreSQL only")


def validate(client, ticket, service=ENT):
    return client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": service}).content.decode()


def pupil_of(cas) -> Pupil:
    return cas.pupil_2d.pupils.get()


@kept
def test_the_first_ticket_keeps_the_subject(client, cas):
    ticket_of(cas_login(client, "ines.durand"))
    subject, digest = shared.remembered("ines.durand")
    assert subject.identifier == "ines.durand" and len(digest) == 32


def test_a_name_changed_without_signal_reaches_the_next_ticket(client, cas):
    ticket_of(cas_login(client, "ines.durand"))
    Pupil.objects.filter(pk=pupil_of(cas).pk).update(first_name="Zoé")
    body = validate(client, ticket_of(client.get("/cas/login", {"service": ENT})))
    assert "Zoé" in body


def test_a_follow_up_refusal_set_without_signal_stops_the_next_ticket(client, cas):
    ticket_of(cas_login(client, "ines.durand", service=NOTES))
    Pupil.objects.filter(pk=pupil_of(cas).pk).update(services_refused=True)
    tickets = ServiceTicket.objects.count()
    response = client.get("/cas/login", {"service": NOTES})
    assert response.status_code == 403 and "Notes et absences" in response.content.decode()
    assert ServiceTicket.objects.count() == tickets


def test_a_follow_up_refusal_lifted_without_signal_lets_the_next_ticket_through(client, cas):
    Pupil.objects.filter(pk=pupil_of(cas).pk).update(services_refused=True)
    assert cas_login(client, "ines.durand", service=NOTES).status_code == 403  # the subject is kept refused
    Pupil.objects.filter(pk=pupil_of(cas).pk).update(services_refused=False)
    ticket_of(client.get("/cas/login", {"service": NOTES}))


def test_a_host_filter_met_after_a_change_without_signal_lets_the_next_ticket_through(client, cas):
    pattern = ServicePattern.objects.get(name="ENT")
    ticket_of(cas_login(client, "ines.durand"))
    FilterAttributValue.objects.create(service_pattern=pattern, attribut="givenName", pattern="^Zoé$")
    SharedMemo.forget_all()  # the patterns memo: the filter is in place at once
    assert "ticket=" not in client.get("/cas/login", {"service": ENT}).get("Location", "")
    Pupil.objects.filter(pk=pupil_of(cas).pk).update(first_name="Zoé")
    ticket_of(client.get("/cas/login", {"service": ENT}))


def test_a_process_keeps_at_most_the_configured_number_of_subjects(settings):
    settings.CAS_EDUCONNECT_SHARED_SUBJECTS = 2
    for name in ("a", "b", "c"):
        shared.remember(name, object(), b"digest")
    assert shared.remembered("a") is None and shared.remembered("b") and shared.remembered("c")
    settings.CAS_EDUCONNECT_SHARED_SUBJECTS = 0  # off: nothing kept (and a setting change forgets all)
    shared.remember("d", object(), b"digest")
    assert shared.remembered("b") is None and shared.remembered("d") is None
