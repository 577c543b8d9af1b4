"""The replay race on PostgreSQL: 8 validators at once on one ticket, 200 times."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from cas_server.models import ServiceTicket
from cas_server.models import User as CasUser
from django.db import connection, connections
from django.test import Client

from .conftest import SERVICE

TICKETS = 200
VALIDATORS = 8

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://... (CI runs it): SQLite serialises writers, no race to show",
    ),
]


def test_each_ticket_validates_exactly_once(transactional_db, service_pattern, active_account):
    assert connection.vendor == "postgresql"
    user = CasUser.objects.create(username=active_account.identifier, session_key="concurrency-test")
    values = [user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=False).value for _ in range(TICKETS)]
    barrier = threading.Barrier(VALIDATORS)

    def validate(ticket: str) -> bool:
        barrier.wait(timeout=30)
        response = Client().get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE})
        return b"<cas:authenticationSuccess>" in response.content

    def close_connection(_: int) -> None:
        # One task per worker thread (the barrier holds each until all 8 run one).
        barrier.wait(timeout=30)
        connections.close_all()

    successes = []
    with ThreadPoolExecutor(max_workers=VALIDATORS) as pool:
        try:
            for value in values:
                successes.append(sum(pool.map(validate, [value] * VALIDATORS)))
        finally:
            # Each worker opened its own connection: close them before the test database is dropped.
            list(pool.map(close_connection, range(VALIDATORS)))
    assert len(successes) == TICKETS
    assert successes == [1] * TICKETS, f"tickets redeemed more than once: {sum(s > 1 for s in successes)}"
    assert ServiceTicket.objects.filter(value__in=values, validate=False).count() == 0
