"""Tickets: drawn from ``secrets``, and a service ticket is redeemed at most once."""

from __future__ import annotations

import random
import re
from urllib.parse import parse_qs, urlparse

import pytest
from cas_server import utils
from cas_server.models import ProxyGrantingTicket, ProxyTicket, ServiceTicket, Ticket
from django.conf import settings
from django.db import connection

from cas_educonnect.host import patches

from .conftest import SERVICE, login

GENERATORS = {
    "LT": (utils.gen_lt, settings.CAS_LOGIN_TICKET_PREFIX, settings.CAS_LT_LEN),
    "ST": (utils.gen_st, settings.CAS_SERVICE_TICKET_PREFIX, settings.CAS_ST_LEN),
    "PT": (utils.gen_pt, settings.CAS_PROXY_TICKET_PREFIX, settings.CAS_PT_LEN),
    "PGT": (utils.gen_pgt, settings.CAS_PROXY_GRANTING_TICKET_PREFIX, settings.CAS_PGT_LEN),
    "PGTIOU": (utils.gen_pgtiou, settings.CAS_PROXY_GRANTING_TICKET_IOU_PREFIX, settings.CAS_PGTIOU_LEN),
    # The host keeps room for a "-" even without a prefix; we keep its shape.
    "SAML": (utils.gen_saml_id, None, settings.CAS_TICKET_LEN - 1),
}
FIELD_DEFAULTS = {"ST": ServiceTicket, "PT": ProxyTicket, "PGT": ProxyGrantingTicket}


@pytest.mark.parametrize("kind", GENERATORS)
def test_generators_ignore_the_random_module_state(kind):
    generate, prefix, length = GENERATORS[kind]
    random.seed(1234)
    first = generate()
    random.seed(1234)
    second = generate()
    # With random.choice (the host's generator) both draws would be identical.
    assert first != second
    assert len(first) == length
    body = first.removeprefix(f"{prefix}-") if prefix else first
    assert re.fullmatch(r"[A-Za-z0-9]+", body)


@pytest.mark.parametrize("kind", FIELD_DEFAULTS)
def test_model_field_defaults_use_secrets(kind):
    field = FIELD_DEFAULTS[kind]._meta.get_field("value")
    random.seed(99)
    first = field.get_default()
    random.seed(99)
    assert field.get_default() != first
    assert first.startswith(GENERATORS[kind][1] + "-")
    # The default is still the host's function: the migration state is unchanged.
    assert field.default is getattr(utils, f"gen_{kind.lower()}")


def test_host_generator_was_predictable():
    """What the fix removes: the host's generator replays the random module's state."""
    host = patches.original("cas_server.utils._gen_ticket")
    random.seed(5)
    first = host("ST", 20)
    random.seed(5)
    assert host("ST", 20) == first


def _issue_ticket(client, account) -> str:
    response = login(client, account.identifier, service=SERVICE)
    assert response.status_code == 302, response.content.decode()[:500]
    location = urlparse(response["Location"])
    assert location.geturl().startswith(SERVICE)
    return parse_qs(location.query)["ticket"][0]


def test_service_ticket_validates_once_over_http(client, service_pattern, active_account):
    ticket = _issue_ticket(client, active_account)
    first = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE})
    assert b"<cas:authenticationSuccess>" in first.content
    assert active_account.identifier.encode() in first.content
    replay = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE})
    assert b"INVALID_TICKET" in replay.content
    assert ServiceTicket.objects.get(value=ticket).validate is True


class _CompetingValidator:
    """Runs another validator's claim on the ticket right before our statement that writes it.

    That is the interleaving of the measured race: both validators have read the ticket as
    not yet validated; the other one writes first.
    """

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        # An UPDATE, or on PostgreSQL the claim statement (WITH claimed AS (UPDATE ...)).
        writes = sql.lstrip().upper().startswith(("UPDATE", "WITH CLAIMED AS (UPDATE"))
        if not self.done and writes and "serviceticket" in sql:
            self.done = True
            ServiceTicket.objects.filter(pk=self.pk).update(validate=True)
        return execute(sql, params, many, context)


def _fresh_ticket(client, account) -> ServiceTicket:
    return ServiceTicket.objects.get(value=_issue_ticket(client, account))


def test_loser_of_a_race_gets_an_invalid_ticket(client, service_pattern, active_account):
    ticket = _fresh_ticket(client, active_account)
    with connection.execute_wrapper(_CompetingValidator(ticket.pk)):
        with pytest.raises(ServiceTicket.DoesNotExist):
            Ticket.get(ticket.value, service=SERVICE)


def test_host_get_redeems_twice_under_the_same_interleaving(client, service_pattern, active_account):
    """The same interleaving with the host's ``Ticket.get``: it returns the ticket again."""
    ticket = _fresh_ticket(client, active_account)
    host_get = patches.original("cas_server.models.Ticket.get", Ticket)
    with connection.execute_wrapper(_CompetingValidator(ticket.pk)):
        assert host_get(ticket.value, service=SERVICE).pk == ticket.pk


def test_get_keeps_the_host_contract(client, service_pattern, active_account):
    _issue_ticket(client, active_account)
    # A second ticket by SSO (no renew), from the host's own /login?service= issuance.
    sso = client.get("/cas/login", {"service": SERVICE})
    ticket = ServiceTicket.objects.get(value=parse_qs(urlparse(sso["Location"]).query)["ticket"][0])
    assert ticket.renew is False
    with pytest.raises(Ticket.DoesNotExist):
        Ticket.get("XX-unknown-prefix")
    with pytest.raises(ProxyTicket.DoesNotExist):
        ProxyTicket.get(ticket.value)  # wrong prefix for the class: the class's own error (the host's views catch it)
    with pytest.raises(ServiceTicket.DoesNotExist):
        ServiceTicket.get("abc")
    with pytest.raises(ServiceTicket.DoesNotExist):
        Ticket.get(ticket.value, service="https://other.example.test/")
    with pytest.raises(ServiceTicket.DoesNotExist):
        Ticket.get(ticket.value, renew=True)  # issued without renew
    assert Ticket.get(ticket.value, service=SERVICE).user.username == active_account.identifier
