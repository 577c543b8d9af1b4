"""Ticket fixes for django-cas-server 3.1, installed by ``CasServerConfig.ready()``.

Why patch the host's functions rather than override its views: every ticket the host makes
goes through ``cas_server.utils._gen_ticket`` (LT, ST, PT, PGT, PGTIOU, SAML ids, and the
``value`` field defaults, which are ``utils.gen_st``/``gen_pt``/``gen_pgt`` and look
``_gen_ticket`` up at call time), and every validation endpoint (``validate``,
``serviceValidate``, ``proxyValidate``, ``p3/*``, ``proxy``, ``samlValidate``) consumes its
ticket through ``Ticket.get``. Replacing those two functions fixes all call sites at once,
keeps the field defaults pointing at the host's functions (so ``makemigrations`` sees no
change) and keeps working if a project mounts the host's own views.
"""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from django.conf import settings as django_settings
from django.utils import timezone

ALPHABET = string.ascii_letters + string.digits


def gen_ticket(prefix: str | None = None, lg: int | None = None) -> str:
    """A ticket of total length ``lg`` (default ``CAS_TICKET_LEN``) drawn from ``secrets``.

    Same shape as the host's ``_gen_ticket``: ``PREFIX-<random>`` where the random part fills
    the length, or only the random part without a prefix.
    """
    if lg is None:
        lg = django_settings.CAS_TICKET_LEN
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(lg - len(prefix or "") - 1))
    return f"{prefix}-{random_part}" if prefix is not None else random_part


def get_ticket(cls, ticket: str, renew: bool = False, service: str | None = None):
    """``Ticket.get`` consuming a service or proxy ticket at most once.

    The host selects ``validate=False`` then saves ``validate=True``: two concurrent
    validations both see the ticket unvalidated and both succeed. Here the ticket is claimed
    by one conditional ``UPDATE ... SET validate=true WHERE value=... AND validate=false AND
    <still valid>``: the database serialises concurrent UPDATEs on the row, so exactly one
    caller gets a row count of 1; any other gets ``DoesNotExist`` as for an unknown ticket.
    Proxy granting tickets are never consumed (they are used many times while valid).
    """
    from cas_server.models import ProxyGrantingTicket, ProxyTicket, ServiceTicket, Ticket

    if cls is Ticket:
        ticket_class = Ticket.get_class(ticket, classes=[ServiceTicket, ProxyTicket])
    else:
        ticket_class = cls
        if not ticket.startswith(cls.PREFIX):
            raise Ticket.DoesNotExist()
    if ticket_class is None:
        raise Ticket.DoesNotExist()
    queryset = ticket_class.objects.filter(
        value=ticket,
        validate=False,
        creation__gt=timezone.now() - timedelta(seconds=ticket_class.VALIDITY),
    )
    if service is not None:
        queryset = queryset.filter(service=service)
    if renew:
        queryset = queryset.filter(renew=True)
    if ticket_class is ProxyGrantingTicket:
        return queryset.get()
    if queryset.update(validate=True) != 1:
        raise ticket_class.DoesNotExist()
    return ticket_class.objects.get(value=ticket)


#: The host's originals, kept for the tests that show what the fixes change.
HOST_ORIGINALS: dict[str, object] = {}


def install() -> None:
    """Replace the host's ticket generator and ``Ticket.get`` (idempotent)."""
    from cas_server import models, utils

    HOST_ORIGINALS.setdefault("_gen_ticket", utils._gen_ticket)
    HOST_ORIGINALS.setdefault("Ticket.get", models.Ticket.__dict__["get"])
    utils._gen_ticket = gen_ticket
    models.Ticket.get = classmethod(get_ticket)
