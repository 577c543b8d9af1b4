#!/usr/bin/env python
"""SSO ticket issuance + ``p3/serviceValidate`` pairs per second and SQL queries, in one run.

(a) stock: the host's own views (``cas_server.urls``) and ``DjangoAuthUser`` for a user with
    names, an email and 3 groups; its ServicePattern releases 5 attributes with one value
    rewrite and one filter (the setup of django-cas-server's own measurements).
(b) ours: our URLconf and ``EduconnectAuthUser`` for a representative with 4 children in 2
    schools; its ServicePattern releases 5 attributes (FrEduVecteur among them) with one
    rewrite and one filter too.

Phase (a) runs with the host's own functions put back (ticket generator, ``Ticket.get``,
``User.get_ticket``, ``ServicePattern.validate``), which our app replaces at start-up.
Both phases run in the same process on the same database (SQLite in memory by default,
``DATABASE_URL`` for PostgreSQL), with an SSO session opened once; then, ITERATIONS times,
GET /cas/login?service= (issuance) and GET /cas/p3/serviceValidate (validation). Queries are
counted on one warm pair; the timing loops run without query capture. Prints one figure per
line.

    python bench/sso.py [ITERATIONS]        # default 600 (per phase, in 6 alternating rounds)

The pairs/s and CPU ms/pair figures are medians of the rounds; ``speedup`` = (b) / (a) in
pairs/s, ``cpu_speedup`` the same in CPU time, which load from other processes barely moves.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench.load import fixtures  # noqa: E402

PASSWORD = "bench-password-2026"
STOCK_SERVICE = "https://stock.example.org/"
OURS_SERVICE = "https://ent.example.org/"
ROUNDS = 6

# URLconf of phase (a): the host's own views, nothing of ours.
urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]


def setup_stock() -> str:
    return fixtures.stock_users(1, make_password(PASSWORD), [STOCK_SERVICE])[0]


def setup_ours() -> str:
    return fixtures.our_users(1, make_password(PASSWORD), [OURS_SERVICE])[0]


@contextlib.contextmanager
def stock_host():
    """The host's own ticket and pattern functions, and its own views and auth class."""
    from cas_educonnect.host import patches

    stock = {
        "ROOT_URLCONF": __name__,
        "CAS_AUTH_CLASS": "cas_server.auth.DjangoAuthUser",
        **{f"CAS_{page}_TEMPLATE": f"cas_server/bs4/{page.lower()}.html" for page in ("LOGIN", "LOGGED", "WARN")},
    }
    with patches.host_originals(), override_settings(**stock):
        yield


def log_in(client: Client, username: str, url: str) -> None:
    client.get("/cas/login", {"service": url})
    lt = client.session["lt"][-1]
    response = client.post("/cas/login", {"username": username, "password": PASSWORD, "lt": lt, "service": url})
    assert response.status_code == 302 and "ticket=" in response["Location"], response.content[:400]


def issue(client: Client, url: str) -> str:
    response = client.get("/cas/login", {"service": url})
    assert response.status_code == 302, response.content[:400]
    return parse_qs(urlparse(response["Location"]).query)["ticket"][0]


def validate(client: Client, url: str, ticket: str) -> None:
    body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": url}).content
    assert b"authenticationSuccess" in body, body[:400]


def prepare(username: str, url: str) -> tuple[Client, int, int]:
    """An SSO session for ``username``; the queries of one warm issuance and one validation."""
    client = Client()
    log_in(client, username, url)
    validate(client, url, issue(client, url))  # warm up
    # Read the counts at once: the next request's request_started empties the query log.
    with CaptureQueriesContext(connection) as captured:
        ticket = issue(client, url)
    issuance_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        validate(client, url, ticket)
    return client, issuance_queries, len(captured)


def pairs_per_second(client: Client, url: str, iterations: int) -> tuple[float, float]:
    """Pairs per second of wall time, and CPU milliseconds of this process per pair.

    The CPU figure barely moves with load from other processes, the wall figure does.
    """
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        validate(client, url, issue(client, url))
    return iterations / (time.perf_counter() - start), (time.process_time() - cpu) * 1000 / iterations


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    setup_test_environment()
    from django.test.utils import setup_databases, teardown_databases

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        run(iterations)
    finally:
        teardown_databases(databases, verbosity=0)


def run(iterations: int) -> None:
    call_command("check", verbosity=0)
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the one login per phase stays cheap
    with override_settings(PASSWORD_HASHERS=hashers):
        stock_user, our_user = setup_stock(), setup_ours()
        with stock_host():
            stock_client, stock_issuance, stock_validation = prepare(stock_user, STOCK_SERVICE)
        our_client, our_issuance, our_validation = prepare(our_user, OURS_SERVICE)
        # Alternate short rounds of (a) and (b) so that load from other processes hits both alike.
        stock_rounds, our_rounds = [], []
        for _ in range(ROUNDS):
            with stock_host():
                stock_rounds.append(pairs_per_second(stock_client, STOCK_SERVICE, iterations // ROUNDS))
            our_rounds.append(pairs_per_second(our_client, OURS_SERVICE, iterations // ROUNDS))
    figures = {
        "stock_pairs_per_s": statistics.median(rate for rate, _ in stock_rounds),
        "stock_cpu_ms_per_pair": statistics.median(cpu for _, cpu in stock_rounds),
        "stock_issuance_queries": stock_issuance,
        "stock_validation_queries": stock_validation,
        "educonnect_pairs_per_s": statistics.median(rate for rate, _ in our_rounds),
        "educonnect_cpu_ms_per_pair": statistics.median(cpu for _, cpu in our_rounds),
        "educonnect_issuance_queries": our_issuance,
        "educonnect_validation_queries": our_validation,
    }
    figures["speedup"] = figures["educonnect_pairs_per_s"] / figures["stock_pairs_per_s"]
    figures["cpu_speedup"] = figures["stock_cpu_ms_per_pair"] / figures["educonnect_cpu_ms_per_pair"]
    print(f"database {connection.vendor}")
    print(f"iterations {iterations}")
    for name, value in figures.items():
        print(f"{name} {value:.2f}" if isinstance(value, float) else f"{name} {value}")
    assert settings.CAS_AUTH_CLASS.endswith("EduconnectAuthUser")


if __name__ == "__main__":
    main()
