"""Tickets: redeemed once at scale on PostgreSQL, unguessable, bound to their service, proxies only to https.

The 8-validators-per-ticket race over HTTP is ``tests/host/test_concurrency.py``; here 1,000
tickets are redeemed by 8 threads each walking all of them in its own order, without any
barrier: what a replaying attacker with 8 connections does.
"""

from __future__ import annotations

import math
import os
import random
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from cas_server.models import ProxyGrantingTicket, ServiceTicket
from cas_server.models import User as CasUser
from django.conf import settings
from django.db import connection, connections

from .conftest import SERVICE, login

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
TICKETS = 1000
VALIDATORS = 8


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="needs DATABASE_URL=postgres://... (CI runs it): SQLite serialises writers")
def test_1000_tickets_8_validators_exactly_1000_successes(transactional_db, service_pattern, active_account):
    assert connection.vendor == "postgresql"
    user = CasUser.objects.create(username=active_account.identifier, session_key="race-at-scale")
    created = ServiceTicket.objects.bulk_create(
        ServiceTicket(user=user, service=SERVICE, service_pattern=service_pattern, attributs={}) for _ in range(TICKETS)
    )
    values = [t.value for t in created]
    assert len(set(values)) == TICKETS

    def redeem_all(seed: int) -> list[str]:
        order = values[:]
        random.Random(seed).shuffle(order)
        won = []
        try:
            for value in order:
                try:
                    ServiceTicket.get(value, False, SERVICE)  # what serviceValidate calls
                    won.append(value)
                except ServiceTicket.DoesNotExist:
                    pass
        finally:
            connections.close_all()
        return won

    with ThreadPoolExecutor(max_workers=VALIDATORS) as pool:
        wins = [v for won in pool.map(redeem_all, range(VALIDATORS)) for v in won]
    assert len(wins) == TICKETS, f"{len(wins) - len(set(wins))} double redemptions"
    assert set(wins) == set(values)


def test_tickets_have_the_cas_shape_and_full_entropy(service_pattern, active_account):
    user = CasUser.objects.create(username=active_account.identifier, session_key="entropy")
    values = [user.get_ticket(ServiceTicket, SERVICE, service_pattern, renew=False).value for _ in range(400)]
    prefix = settings.CAS_SERVICE_TICKET_PREFIX + "-"
    bodies = [v.removeprefix(prefix) for v in values]
    assert all(v.startswith(prefix) and len(v) == settings.CAS_ST_LEN for v in values)
    assert all(re.fullmatch(r"[A-Za-z0-9]+", b) for b in bodies)
    assert len(set(values)) == len(values)
    # Shannon entropy of the characters: log2(62) = 5.954 bits each for a uniform draw.
    counts = Counter("".join(bodies))
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert entropy > 5.9, entropy
    assert len(counts) == 62
    # Far beyond guessing: over 150 bits per ticket.
    assert len(bodies[0]) * math.log2(62) > 150
    # No position is biased: each character position takes many values across tickets.
    assert min(len({b[i] for b in bodies}) for i in range(len(bodies[0]))) > 40


def test_service_ticket_is_bound_to_its_service(client, service_pattern, active_account):
    ticket = login(client, active_account.identifier, service=SERVICE)["Location"].split("ticket=")[1]
    other = SERVICE + "other-path"  # matches the same pattern, still not the service the ticket was issued for
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": other}).content
    assert b"INVALID_SERVICE" in body or b"INVALID_TICKET" in body
    assert b"authenticationSuccess" not in body
    # Presenting the ticket to the wrong service spends it (CAS protocol 3.0, section 2.5.1).
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE}).content
    assert b"authenticationSuccess" not in body


@pytest.mark.parametrize(
    "pgt_url",
    [
        "http://ent.example.test/callback",  # plain http, even under a registered pattern
        "https://evil.example.net/callback",  # https but not registered
    ],
)
def test_proxy_callback_only_to_registered_https_urls(client, service_pattern, active_account, pgt_url):
    service_pattern.proxy_callback = True
    service_pattern.proxy = True
    service_pattern.save()
    ticket = login(client, active_account.identifier, service=SERVICE)["Location"].split("ticket=")[1]
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE, "pgtUrl": pgt_url}).content
    assert b"proxyGrantingTicket" not in body
    # An https URL is checked against the patterns and refused; a plain http one is ignored.
    assert (b"INVALID_PROXY_CALLBACK" in body) is pgt_url.startswith("https://")
    assert not ProxyGrantingTicket.objects.exists()
