"""Logout: the SLOs services asked for are sent, every ticket of the SSO session goes, in constant queries."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from cas_server.models import Proxy, ProxyGrantingTicket, ProxyTicket, ServicePattern, ServiceTicket, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import SERVICE, login

pytestmark = pytest.mark.django_db


class Receiver(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        Receiver.received.append(parse_qs(self.rfile.read(length).decode())["logoutRequest"][0])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slo_service(service_pattern):
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received = []
    url = f"http://127.0.0.1:{server.server_port}/app/"
    ServicePattern.objects.create(
        name="SLO", pattern="^" + re.escape(url), pos=2, single_log_out=True, single_log_out_callback=url + "slo"
    )
    yield url
    server.shutdown()


def tickets(client, service, count):
    return [client.get("/cas/login", {"service": service})["Location"].split("ticket=")[1] for _ in range(count)]


def logout_queries(client, account, slo_service, others: int) -> int:
    """Queries of a logout after 2 validated SLO tickets and ``others`` tickets of a service without SLO."""
    login(client, account.identifier, service=SERVICE)
    slo = tickets(client, slo_service, 2)
    for ticket in slo:
        client.get("/cas/serviceValidate", {"ticket": ticket, "service": slo_service})
    tickets(client, SERVICE, others)
    Receiver.received = []
    with CaptureQueriesContext(connection) as captured:
        client.get("/cas/logout")
    sent = sorted(re.search(r"<samlp:SessionIndex>(.*?)<", r).group(1) for r in Receiver.received)
    assert sent == sorted(slo)
    assert not ServiceTicket.objects.exists()
    return len(captured)


def test_logout_sends_the_asked_slos_and_drops_every_ticket_in_constant_queries(client, active_account, slo_service):
    few = logout_queries(client, active_account, slo_service, 2)
    many = logout_queries(client, active_account, slo_service, 40)
    assert many == few


def test_logout_drops_proxy_tickets_and_their_proxies(service_pattern):
    user = User.objects.create(username="proxy.user", session_key="proxy-logout")
    common = {"user": user, "service_pattern": service_pattern, "service": SERVICE}
    pgt = ProxyGrantingTicket.objects.create(**common)
    pt = ProxyTicket.objects.create(**common)
    Proxy.objects.create(proxy_ticket=pt, url="https://proxy.example.test/")
    ServiceTicket.objects.create(**common)
    user.logout()
    assert not Proxy.objects.exists() and not ProxyTicket.objects.exists()
    assert not ProxyGrantingTicket.objects.filter(pk=pgt.pk).exists() and not ServiceTicket.objects.exists()
    user.delete()


def test_logout_without_slo_costs_few_queries(client, active_account, service_pattern):
    login(client, active_account.identifier, service=SERVICE)
    for _ in range(3):
        client.get("/cas/login", {"service": SERVICE})
    with CaptureQueriesContext(connection) as captured:
        client.get("/cas/logout")
    # The SLO probe and one DELETE per ticket table, the host's own reads and deletes of the
    # session and its user: the ORM's collector made it 17.
    statements = [q["sql"] for q in captured if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(statements) <= 13, statements
    assert not ServiceTicket.objects.exists()
