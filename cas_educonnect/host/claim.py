"""Claiming a service or proxy ticket in one PostgreSQL statement.

A validation must consume its ticket at most once (see :func:`.tickets.get_ticket`) and
then read the ticket's user and pattern. With the ORM that is two round trips (the
conditional ``UPDATE``, then a ``SELECT`` joining user and pattern), plus the ORM building
both statements anew at every validation. On PostgreSQL a data-modifying CTE does the same
in one statement whose text is built once per ticket class and filter shape:

    WITH claimed AS (UPDATE ticket SET validate = true WHERE <unvalidated, valid, ...>
                     RETURNING ticket.*)
    SELECT claimed.*, user.* FROM claimed JOIN user ON user.id = claimed.user_id

The row lock taken by the ``UPDATE`` serialises concurrent claims exactly as before: one
statement gets the row, the others none. The pattern comes from the in-memory patterns
(:mod:`.patterns`), or is read when absent there.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from cas_server.models import ServicePattern, User
from django.db import connection, connections, router
from django.utils import timezone

from cas_educonnect.core.prepared import prepared_cursor
from cas_educonnect.host.patterns import service_patterns


@functools.lru_cache(maxsize=16)
def _statement(ticket_class, with_service: bool, renew: bool) -> str:

    qn = connection.ops.quote_name
    ticket_meta, user_meta = ticket_class._meta, User._meta
    conditions = [f"{qn('value')} = %s", f"NOT {qn('validate')}", f"{qn('creation')} > %s"]
    if with_service:
        conditions.append(f"{qn('service')} = %s")
    if renew:
        conditions.append(qn("renew"))
    ticket_columns = ", ".join(f"claimed.{qn(f.column)}" for f in ticket_meta.concrete_fields)
    user_columns = ", ".join(f"u.{qn(f.column)}" for f in user_meta.concrete_fields)
    return (
        f"WITH claimed AS (UPDATE {qn(ticket_meta.db_table)} SET {qn('validate')} = true "
        f"WHERE {' AND '.join(conditions)} RETURNING *) "
        f"SELECT {ticket_columns}, {user_columns} FROM claimed "
        f"JOIN {qn(user_meta.db_table)} u ON u.{qn(user_meta.pk.column)} = claimed.{qn('user_id')}"
    )


def _pattern(pk: int):

    for pattern in service_patterns():
        if pattern.pk == pk:
            return pattern
    return ServicePattern.objects.get(pk=pk)


def supported(ticket_class) -> bool:
    """True where :func:`claim` applies: the ticket's database is PostgreSQL."""
    return connections[router.db_for_write(ticket_class)].vendor == "postgresql"


def claim(ticket_class, value: str, renew: bool, service: str | None):
    """The ticket ``value`` marked validated, with its user and pattern; None if not claimable."""

    params: list = [value, timezone.now() - timedelta(seconds=ticket_class.VALIDITY)]
    if service is not None:
        params.append(service)
    alias = router.db_for_write(ticket_class)
    with prepared_cursor(alias) as cursor:
        cursor.execute(_statement(ticket_class, service is not None, renew), params)
        row = cursor.fetchone()
    if row is None:
        return None
    ticket_fields = ticket_class._meta.concrete_fields
    split = len(ticket_fields)
    ticket = ticket_class.from_db(alias, [f.attname for f in ticket_fields], row[:split])
    user = User.from_db(alias, [f.attname for f in User._meta.concrete_fields], row[split:])
    ticket_class.user.field.set_cached_value(ticket, user)
    ticket_class.service_pattern.field.set_cached_value(ticket, _pattern(ticket.service_pattern_id))
    return ticket
