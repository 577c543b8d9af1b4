"""Two app servers behind HAProxy share nothing but PostgreSQL and Redis (bench/cluster/rig.py).

A session or a ticket made on one node is good on the other, an admin change of the
ServicePatterns made on one machine is obeyed by the other node, and the login lock counts
failures on both nodes as one; a PostgreSQL restart costs no request made after it, without
restarting gunicorn. The rig's Redis and PostgreSQL are its own, stopped and restarted here.
"""

from __future__ import annotations

import os
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from bench.cluster.rig import Rig
from bench.cluster.services import PrivatePostgres, PrivateRedis, unavailable
from bench.databases import fresh_database
from bench.load.client import hidden_fields
from bench.load.fixtures import OUR_SERVICES, PASSWORD


def _why_not() -> str | None:
    # Run with the PostgreSQL suite only (once in CI), on a PostgreSQL cluster of the rig's own.
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "runs with the PostgreSQL suite (DATABASE_URL=postgres://...)"
    return unavailable("redis", "postgres", "haproxy")


pytestmark = [pytest.mark.cluster, pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "")]
SERVICE = OUR_SERVICES[0]
LOCKED = "Trop de tentatives infructueuses"


@pytest.fixture(scope="module")
def postgres():
    server = PrivatePostgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def rig(postgres):
    redis = PrivateRedis().start()
    rig = Rig(fresh_database(postgres.url("cluster"), "suite"), redis, workers=2)
    try:
        yield rig.prepare(2).start()
    finally:
        rig.stop()
        redis.stop()


def client(ip: str = "192.0.2.30") -> requests.Session:
    http = requests.Session()
    http.headers["X-Forwarded-For"] = ip  # the TLS proxy's header, passed on by HAProxy
    return http


def post_login(http: requests.Session, base: str, username: str, password: str, service: str = SERVICE):
    page = http.get(base + "/cas/login", params={"service": service, "idpId": "educonnect"}, timeout=30)
    fields = {**hidden_fields(page.text), "username": username, "password": password, "service": service}
    return http.post(
        base + "/cas/login", data=fields, headers={"Referer": base + "/cas/login"}, allow_redirects=False, timeout=60
    )


def ticket_of(response: requests.Response) -> str:
    assert response.status_code == 302, (response.status_code, response.text[:300])
    return parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]


def validates(base: str, ticket: str, service: str = SERVICE) -> bool:
    response = requests.get(base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": service}, timeout=30)
    return "<cas:authenticationSuccess>" in response.text


def sso(http: requests.Session, base: str, service: str = SERVICE) -> requests.Response:
    return http.get(base + "/cas/login", params={"service": service}, allow_redirects=False, timeout=30)


def test_the_balancer_alternates_nodes_and_a_session_and_its_tickets_are_good_on_both(rig):
    http = client()
    ticket = ticket_of(post_login(http, rig.base, "parent0", PASSWORD))
    served = [sso(http, rig.base).headers["X-Node"] for _ in range(4)]
    assert sorted(set(served)) == ["a", "b"]  # round robin, no stickiness: the session follows
    a, b = rig.nodes["a"].base, rig.nodes["b"].base
    assert validates(b, ticket) and not validates(a, ticket)  # once, whichever node is asked
    on_b = ticket_of(sso(http, b))  # the session made through the balancer, on node B
    assert validates(a, on_b) and not validates(b, on_b)


def test_a_service_pattern_change_made_on_node_a_is_obeyed_by_node_b(rig):
    service = OUR_SERVICES[1]
    http = client("192.0.2.31")
    b = rig.nodes["b"].base
    assert validates(b, ticket_of(post_login(http, b, "parent1", PASSWORD, service)), service)
    for _ in range(4):  # every worker of B has read the patterns (kept an hour by these settings)
        assert sso(http, b, service).status_code == 302
    code = (
        "from cas_server.models import ServicePattern\n"
        f"pattern = ServicePattern.objects.get(name={service!r})\n"
        "pattern.pattern = r'^https://elsewhere\\.invalid/'\n"
        "pattern.save()"
    )
    rig.manage("shell", "-c", code)  # node A's machine: the signal writes a new version to Redis
    answers: list[int] = []
    for _ in range(100):  # up to 10 s, far below the hour the patterns are otherwise kept
        answers = [sso(http, b, service).status_code for _ in range(4)]
        if 302 not in answers:
            break
        time.sleep(0.1)
    assert answers == [200] * 4  # the page saying the service is not allowed, on every worker


def test_failures_on_both_nodes_lock_as_on_one(rig):
    """One free failure per identifier and IP (bench.cluster.settings), the second locks: whatever the node."""
    nodes = [rig.nodes["a"].base, rig.nodes["b"].base]
    answers = []
    for n in range(5):
        response = post_login(client("198.51.100.40"), nodes[n % 2], "parent0", "wrong-pass")
        answers.append("locked" if LOCKED in response.text.replace("&#x27;", "'") else response.status_code)
    assert answers == [200, 200, "locked", "locked", "locked"]
    right = post_login(client("198.51.100.40"), nodes[1], "parent0", PASSWORD)
    assert LOCKED in right.text


def test_after_a_postgresql_restart_every_request_succeeds_without_restarting_gunicorn(rig, postgres):
    """Each worker holds a connection the restart cuts: the pool checks it before lending it."""
    http = client("192.0.2.32")
    ticket_of(post_login(http, rig.base, "parent1", PASSWORD))
    workers = sum(node.workers for node in rig.nodes.values())
    assert all(sso(http, rig.base).status_code == 302 for _ in range(2 * workers))  # every worker connected
    postgres.restart()
    answers = [sso(http, rig.base).status_code for _ in range(4 * workers)]
    assert answers == [302] * (4 * workers)
