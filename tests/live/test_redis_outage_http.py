"""A Redis outage over real HTTP: gunicorn on PostgreSQL and a private Redis, which is killed.

Logins, SSO tickets and their validation go on without Redis (the cache is a miss, sessions
come from PostgreSQL), with no HTTP 500, and the login lock keeps locking: its counters are
in PostgreSQL, so neither the outage nor the restart of an empty Redis frees a guesser.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from bench.cluster.services import PrivateRedis, unavailable
from bench.load.client import hidden_fields
from bench.load.fixtures import OUR_SERVICES, PASSWORD
from tests.live.server import LiveServer

from .conftest import Browser, answer, in_parallel

pytestmark = pytest.mark.skipif(bool(unavailable("redis")), reason=unavailable("redis") or "")

PARALLEL = 16
ALLOWED = 2  # tests.live.settings: 1 free failure per identifier and IP, the 2nd checked and locks
SERVICE = OUR_SERVICES[0]


@pytest.fixture(scope="module")
def redis():
    server = PrivateRedis().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def base(redis):
    server = LiveServer(redis_url=redis.url(), suffix="redis_outage").start()
    yield server.base
    server.stop()


def log_in(base: str, ip: str) -> tuple[requests.Session, str]:
    """A password login for SERVICE; the session and the ticket it issued."""
    http = requests.Session()
    http.headers["X-Forwarded-For"] = ip
    page = http.get(base + "/cas/login", params={"service": SERVICE, "idpId": "educonnect"}, timeout=30)
    assert page.status_code == 200, page.status_code
    fields = {**hidden_fields(page.text), "username": "parent0", "password": PASSWORD, "service": SERVICE}
    response = http.post(
        base + "/cas/login", data=fields, headers={"Referer": base + "/cas/login"}, allow_redirects=False, timeout=60
    )
    return http, ticket_of(response)


def ticket_of(response: requests.Response) -> str:
    assert response.status_code == 302, (response.status_code, response.text[:300])
    return parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]


def validates(base: str, ticket: str) -> bool:
    answer = requests.get(base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": SERVICE}, timeout=30)
    assert answer.status_code == 200, answer.status_code
    return "<cas:authenticationSuccess>" in answer.text


def test_logins_tickets_and_the_lock_work_while_redis_is_down_and_after_it_restarts_empty(base, redis):
    before, ticket = log_in(base, "192.0.2.10")  # a session made while Redis was up (cached there)
    assert validates(base, ticket)
    redis.kill()

    statuses = Counter(requests.get(base + "/cas/login", timeout=30).status_code for _ in range(12))
    assert statuses == {200: 12}
    http, ticket = log_in(base, "192.0.2.11")
    assert validates(base, ticket) and not validates(base, ticket)  # once, as ever
    sso = http.get(base + "/cas/login", params={"service": SERVICE}, allow_redirects=False, timeout=30)
    assert validates(base, ticket_of(sso))  # the SSO session, read from PostgreSQL
    earlier = before.get(base + "/cas/login", params={"service": SERVICE}, allow_redirects=False, timeout=30)
    assert validates(base, ticket_of(earlier))

    browsers = [Browser(base, "198.51.100.9") for _ in range(PARALLEL)]
    forms = [browser.login_form() for browser in browsers]
    answers = in_parallel(lambda n: answer(browsers[n].post_login(forms[n], "parent1", "wrong-pass")), range(PARALLEL))
    assert Counter(answers) == {"wrong": ALLOWED, "locked": PARALLEL - ALLOWED}

    redis.start()  # back, empty: the lock was never in Redis
    right = Browser(base, "198.51.100.9")
    assert answer(right.post_login(right.login_form(), "parent1", PASSWORD)) == "locked"
    _http, ticket = log_in(base, "192.0.2.12")
    assert validates(base, ticket)
