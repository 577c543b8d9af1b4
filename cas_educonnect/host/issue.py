"""Writing an issued ticket in one statement that also proves the SSO session still exists.

The host reads the SSO session's ``User`` row at every issuance (``LoginView.authenticated``),
then inserts the ticket through the ORM, then saves the user to move ``User.date``. Here the
ticket is inserted by ``INSERT ... SELECT ... FROM user WHERE id = ... AND session_key = ...``:
the row is the proof (a logout elsewhere deleted it: no row, no ticket, :class:`SessionGone`),
so the login view needs no read of its own (:func:`session_user`). On PostgreSQL the touch of
``User.date`` (at most once per ``CAS_EDUCONNECT_SESSION_TOUCH_SECONDS``) rides in the same
statement as a data-modifying CTE; elsewhere it is a second, conditional ``UPDATE``, skipped
when the user's ``date`` was read and is recent. The text
of each statement is built once per ticket class and database.

``post_save`` is sent for the new ticket as the ORM would (the access counter listens to it).
"""

from __future__ import annotations

import functools
from datetime import timedelta

from cas_server import utils as cas_utils
from cas_server.models import User
from django.db import connections, router
from django.db.models.signals import post_save
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.core import guards
from cas_educonnect.core.prepared import prepared_cursor

#: Session key holding the primary key of the SSO session's ``cas_server.User`` row.
USER_PK_SESSION_KEY = "educonnect_cas_user"

#: Ticket columns written, in order (``user_id`` comes from the selected user row).
FIELDS = ("validate", "service", "service_pattern", "creation", "renew", "single_log_out", "value", "_attributs")


class SessionGone(Exception):
    """The SSO session's ``User`` row no longer exists (logged out elsewhere, or cleaned)."""


@functools.lru_cache(maxsize=16)
def _statements(ticket_class, alias: str, guard: str = "") -> tuple[str, str | None, bool]:
    """``(insert, touch, returns_pk)``: the touch is folded into the insert on PostgreSQL (then None).

    ``guard``: a condition (:mod:`cas_educonnect.core.guards`) the insert's ``WHERE`` also requires.
    """
    connection = connections[alias]
    qn = connection.ops.quote_name
    meta, user_meta = ticket_class._meta, User._meta
    user_table = qn(user_meta.db_table)
    columns = [qn(meta.get_field("user").column), *(qn(meta.get_field(f).column) for f in FIELDS)]
    values = ", ".join(["u." + qn(user_meta.pk.column), *["%s"] * len(FIELDS)])
    session = f"{qn(user_meta.pk.column)} = %s AND {qn('session_key')} = %s"
    touch = f"UPDATE {user_table} SET {qn('date')} = %s WHERE {session} AND {qn('date')} < %s"
    returns_pk = connection.features.can_return_columns_from_insert
    returning = f" RETURNING {qn(meta.db_table)}.{qn(meta.pk.column)}" if returns_pk else ""
    insert = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(columns)}) SELECT {values} FROM {user_table} u "
        f"WHERE u.{session}{f' AND ({guard})' if guard else ''}{returning}"
    )
    if connection.vendor == "postgresql":
        return f"WITH touch AS ({touch}) {insert}", None, returns_pk
    return insert, touch, returns_pk


def insert_ticket(user, ticket_class, service: str, service_pattern, renew: bool, attributes: dict):
    """The new ticket of ``ticket_class`` for ``user`` (a ``cas_server.User``, maybe unsaved but with its pk).

    Raises :class:`SessionGone` when no ``User`` row has ``user``'s pk and session key, and
    :class:`~cas_educonnect.core.guards.GuardFailed` instead when a guard is set (its
    condition false, or the session gone: the caller decides again without it).
    """
    alias = router.db_for_write(ticket_class)
    guard = guards.current()
    if guard is not None and guard.alias != alias:
        raise guards.GuardFailed(f"guard on {guard.alias}, ticket on {alias}")
    insert, touch, returns_pk = _statements(ticket_class, alias, guard.sql if guard else "")
    missing = guards.GuardFailed if guard else SessionGone
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CAS_EDUCONNECT_SESSION_TOUCH_SECONDS)
    value = ticket_class._meta.get_field("value").get_default()
    encoded = cas_utils.json_encode(attributes)
    ops = connections[alias].ops
    at, before = ops.adapt_datetimefield_value(now), ops.adapt_datetimefield_value(stale)
    row = [False, service, service_pattern.pk, at, renew, service_pattern.single_log_out, value, encoded]
    session = [user.pk, user.session_key]
    params = ([at, *session, before] if touch is None else []) + row + session + list(guard.params if guard else ())
    with prepared_cursor(alias) as cursor:
        cursor.execute(insert, params)
        if returns_pk:  # (SQLite counts the rows of an INSERT ... RETURNING only once fetched)
            returned = cursor.fetchone()
            if returned is None:
                raise missing(user.username)
            pk = returned[0]
        else:
            if cursor.rowcount != 1:
                raise missing(user.username)
            pk = ops.last_insert_id(cursor, ticket_class._meta.db_table, ticket_class._meta.pk.column)
        if user.date is None or user.date < stale:  # touched (PostgreSQL: by the statement's CTE)
            if touch is not None:
                cursor.execute(touch, [at, *session, before])
            user.date = now
    ticket = ticket_class(
        pk=pk,
        user=user,
        validate=False,
        service=service,
        service_pattern=service_pattern,
        creation=now,
        renew=renew,
        single_log_out=service_pattern.single_log_out,
        value=value,
        _attributs=encoded,
    )
    ticket._state.adding, ticket._state.db = False, alias
    post_save.send(sender=ticket_class, instance=ticket, created=True, update_fields=None, raw=False, using=alias)
    return ticket


def session_user(session) -> User | None:
    """The SSO session's ``User`` as known from the session alone (no query), or None.

    Its existence is proven by :func:`insert_ticket`; ``date`` and ``last_login`` are not
    loaded (only the validation reads ``last_login``, from its own row).
    """
    pk = session.get(USER_PK_SESSION_KEY)
    username = session.get("username")
    if not isinstance(pk, int) or not username or not session.session_key:
        return None
    user = User(pk=pk, username=username, session_key=session.session_key)
    user._state.adding = False
    return user
