"""Ticket fixes for django-cas-server 3.1, listed and installed by :mod:`.patches`.

Why patch the host's functions rather than override its views: every ticket the host makes
goes through ``cas_server.utils._gen_ticket`` (LT, ST, PT, PGT, PGTIOU, SAML ids, and the
``value`` field defaults, which are ``utils.gen_st``/``gen_pt``/``gen_pgt`` and look
``_gen_ticket`` up at call time), and every validation endpoint (``validate``,
``serviceValidate``, ``proxyValidate``, ``p3/*``, ``proxy``, ``samlValidate``) consumes its
ticket through ``Ticket.get``. Replacing those two functions fixes all call sites at once,
keeps the field defaults pointing at the host's functions (so ``makemigrations`` sees no
change) and keeps working if a project mounts the host's own views.

Hot-path costs go too (profiled under load, ``bench/load/``): the host's
``User.get_ticket`` writes each new ticket twice (INSERT, then a full UPDATE of the same row,
attributes included), rewrites the attribute lists of the user in place and saves the whole
user at every ticket; and a validated ticket's pattern and user were fetched by two more
queries. (The ServicePattern lookups are in :mod:`.patterns`.)
"""

from __future__ import annotations

import logging
import re
import secrets
import string
from datetime import timedelta

from cas_server import utils as cas_utils
from cas_server.models import Proxy, ProxyGrantingTicket, ProxyTicket, ServiceTicket, Ticket
from django.conf import settings as django_settings
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from cas_educonnect.core import db
from cas_educonnect.host import claim, issue

logger = logging.getLogger(__name__)

ALPHABET = string.ascii_letters + string.digits


def gen_ticket(prefix: str | None = None, lg: int | None = None) -> str:
    """A ticket of total length ``lg`` (default ``CAS_TICKET_LEN``) drawn from ``secrets``.

    Same shape as the host's ``_gen_ticket``: ``PREFIX-<random>`` where the random part fills
    the length, or only the random part without a prefix.
    """
    if lg is None:
        lg = django_settings.CAS_TICKET_LEN
    random_part = _random_string(lg - len(prefix or "") - 1)
    return f"{prefix}-{random_part}" if prefix is not None else random_part


#: Bytes below this map uniformly onto ALPHABET (a multiple of its length); the rest are dropped.
_UNIFORM = 256 - 256 % len(ALPHABET)


def _random_string(length: int) -> str:
    """``length`` characters of ALPHABET from one ``secrets`` read (``secrets.choice`` reads once per character)."""
    chars: list[str] = []
    while len(chars) < length:
        chars += [ALPHABET[b % len(ALPHABET)] for b in secrets.token_bytes(length + 8) if b < _UNIFORM]
    return "".join(chars[:length])


def get_ticket(cls, ticket: str, renew: bool = False, service: str | None = None):
    """``Ticket.get`` consuming a service or proxy ticket at most once.

    The host selects ``validate=False`` then saves ``validate=True``: two concurrent
    validations both see the ticket unvalidated and both succeed. Here the ticket is claimed
    by one conditional ``UPDATE ... SET validate=true WHERE value=... AND validate=false AND
    <still valid>``: the database serialises concurrent UPDATEs on the row, so exactly one
    caller gets a row count of 1; any other gets ``DoesNotExist`` as for an unknown ticket.
    Proxy granting tickets are never consumed (they are used many times while valid). On
    PostgreSQL the claim and the reads of user and pattern are one statement (:mod:`.claim`).
    A ticket of another prefix raises the asked class's ``DoesNotExist``, as an unknown one.
    """

    if cls is Ticket:
        ticket_class = Ticket.get_class(ticket, classes=[ServiceTicket, ProxyTicket])
    else:
        ticket_class = cls
        if not ticket.startswith(cls.PREFIX):
            # The host raises the abstract Ticket's DoesNotExist here, which its views asking
            # for one class (``validate``: ServiceTicket) do not catch: a 500 for ``ticket=abc``.
            raise cls.DoesNotExist()
    if ticket_class is None:
        raise Ticket.DoesNotExist()
    if ticket_class is not ProxyGrantingTicket and claim.supported(ticket_class):
        claimed = claim.claim(ticket_class, ticket, renew, service)
        if claimed is None:
            raise ticket_class.DoesNotExist()
        return claimed
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
    # The views read ticket.service_pattern and ticket.user at once (username(), attributes).
    return ticket_class.objects.select_related("service_pattern", "user").get(value=ticket)


def user_get_ticket(self, ticket_class, service: str, service_pattern, renew: bool):
    """``User.get_ticket``: the same ticket in one INSERT, the user's attributes left untouched.

    As the host: only the attributes the pattern names (or all with ``*``) are kept, renamed,
    with the pattern's value rewrites applied. The user is not saved: its ``date`` (the SSO
    session's last activity) moves at most once per ``CAS_EDUCONNECT_SESSION_TOUCH_SECONDS``
    (only ``cas_clean_sessions`` reads it, against ``SESSION_COOKIE_AGE``), in the ticket's
    own statement (:mod:`.issue`).
    """
    names = {a.name: a.replace or a.name for a in service_pattern.attributs.all()}
    rewrites = {r.attribut: (r.pattern, r.replace) for r in service_pattern.replacements.all()}
    released = {}
    for key, value in self.attributs.items():
        if key not in names and "*" not in names:
            continue
        if key in rewrites:
            pattern, replace = rewrites[key]
            if isinstance(value, list):
                value = [re.sub(pattern, replace, item) for item in value]
            else:
                value = re.sub(pattern, replace, value)
        released[names.get(key, key)] = value
    return issue.insert_ticket(self, ticket_class, service, service_pattern, renew, released)


def user_logout(self, request=None) -> None:
    """``User.logout``: the SLOs the services asked for, then the SSO session's tickets dropped in bulk.

    The host saves every ticket of the session, one UPDATE each (``validate=True``), before
    sending the SLOs of those whose pattern asked for them and deleting all: a session that
    issued a few hundred tickets cost as many writes at logout. Here one query tells whether
    any ticket asked for an SLO; only then does the host's own ``Ticket.send_slos`` get those
    tickets (it marks, notifies and deletes them as before). The tickets are then deleted by
    one statement per table, without the ORM's collector (which reads every ticket first and
    runs each delete in a transaction of its own): a proxy ticket's ``Proxy`` rows, the only
    rows pointing at a ticket, go first.
    """
    querysets = [cls.objects.filter(user=self) for cls in (ProxyGrantingTicket, ServiceTicket, ProxyTicket)]
    slo = [queryset.filter(single_log_out=True) for queryset in querysets]
    first, *others = (queryset.values_list("pk") for queryset in slo)
    errors = Ticket.send_slos(slo) if first.union(*others, all=True)[:1] else []
    proxies = Proxy.objects.filter(proxy_ticket__user=self)
    for queryset in (proxies, *querysets):
        db.delete(queryset)
    for error in errors:
        logger.warning("Error during SLO for user %s: %s", self.username, error)
        if request is not None:
            messages.warning(request, _("Error during service logout %s") % cas_utils.unpack_nested_exception(error))
