"""The one-statement ticket claim (PostgreSQL): the same ticket, user and pattern as the ORM path."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from cas_server.models import ProxyTicket, ServicePattern, ServiceTicket, Ticket
from cas_server.models import User as CasUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cas_educonnect.host import claim

from .conftest import SERVICE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://... (CI runs it): the claim statement is PostgreSQL's",
    ),
]


@pytest.fixture
def user(active_account):
    return CasUser.objects.create(username=active_account.identifier, session_key="claim-test")


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("ticket_class", [ServiceTicket, ProxyTicket])
def test_claim_returns_what_the_orm_reads_in_one_query(user, service_pattern, ticket_class):
    assert claim.supported(ticket_class)
    issued = user.get_ticket(ticket_class, SERVICE, service_pattern, renew=False)
    ServicePattern.validate(SERVICE)  # the patterns in memory, as after any issuance
    with CaptureQueriesContext(connection) as captured:
        ticket = Ticket.get(issued.value, service=SERVICE)
    assert len(captured) == 1, [q["sql"] for q in captured]
    expected = ticket_class.objects.select_related("user", "service_pattern").get(pk=issued.pk)
    assert type(ticket) is ticket_class and fields(ticket) == fields(expected) and ticket.validate is True
    assert fields(ticket.user) == fields(expected.user)
    assert ticket.service_pattern == expected.service_pattern
    assert ticket.attributs == issued.attributs != {}


def test_a_ticket_is_claimed_once_and_only_when_it_matches(user, service_pattern):
    value = user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=False).value
    assert claim.claim(ServiceTicket, value, False, "https://other.example.test/") is None
    assert claim.claim(ServiceTicket, value, True, SERVICE) is None  # renew asked, ticket not renewed
    assert claim.claim(ServiceTicket, value, False, SERVICE) is not None
    assert claim.claim(ServiceTicket, value, False, SERVICE) is None  # replay
    with pytest.raises(ServiceTicket.DoesNotExist):
        ServiceTicket.get(value, service=SERVICE)


def test_renewed_expired_and_unknown_tickets(user, service_pattern):
    renewed = user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=True).value
    assert claim.claim(ServiceTicket, renewed, True, None) is not None
    old = user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=False)
    ServiceTicket.objects.filter(pk=old.pk).update(
        creation=old.creation - timedelta(seconds=ServiceTicket.VALIDITY + 1)
    )
    assert claim.claim(ServiceTicket, old.value, False, SERVICE) is None
    assert claim.claim(ServiceTicket, "ST-unknown", False, SERVICE) is None
    assert not ServiceTicket.objects.get(pk=old.pk).validate


def test_a_pattern_missing_from_memory_is_read(user, service_pattern):
    issued = user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=False)
    ticket = claim.claim(ServiceTicket, issued.value, False, SERVICE)  # memo empty: one more query
    assert ticket.service_pattern.pk == service_pattern.pk
