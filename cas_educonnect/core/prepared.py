"""Cursors running the SSO hot path's statements as PostgreSQL prepared statements.

Django's PostgreSQL backend binds parameters client-side by default (psycopg's
``ClientCursor``), so PostgreSQL parses and plans every statement anew: the identity
vector's statement (``attributes.sql``) cost 0.8 ms of planning for 0.15 ms of execution,
at every ticket. A :func:`prepared_cursor` binds server-side and prepares each statement
text once per connection (psycopg keeps the prepared names), then only executes it. The
cursor is wrapped by Django like any other (query logging and counting, execute
wrappers, error translation, the health check of ``CONN_HEALTH_CHECKS``).

Only statements written by this package go through it, with parameters whose types are
plain (text, numbers, booleans, datetimes). ``CAS_EDUCONNECT_PREPARED_STATEMENTS = False``
turns it off, e.g. behind a transaction-pooling PgBouncer older than 1.21, which cannot
keep prepared statements; other databases always get Django's own cursor. A migration
changing the columns these statements return makes running workers' prepared plans fail
("cached plan must not change result type") until they restart, as a deployment does.
"""

from __future__ import annotations

import functools
import sys

from django.db import connections

from cas_educonnect.conf import settings

#: psycopg's ``timestamptz`` OID and text format: the loader Django sets per connection time zone.
_TIMESTAMPTZ, _TEXT = 1184, 0
#: A threshold no statement reaches: psycopg then prepares only what a cursor asks for.
ONLY_WHEN_ASKED = 2**31 - 1


@functools.cache
def _preparing_class(connection_class: type) -> type | None:
    """A cursor class of the connection's own driver (psycopg 3) preparing what it executes.

    Taken from the driver the PostgreSQL backend loaded, not imported here: psycopg is the
    backend's dependency, absent from SQLite-only installations.
    """
    driver = sys.modules.get(connection_class.__module__.split(".")[0])
    base = getattr(driver, "Cursor", None)
    if base is None or getattr(driver, "__name__", "") != "psycopg":
        return None

    class PreparingCursor(base):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            if self._query is None:
                # psycopg keeps no query object for a statement run by name; Django's query log
                # (connection.queries, assertNumQueries) reads the text from there.
                self._query = _Text(query.encode() if isinstance(query, str) else query)
            return self

    return PreparingCursor


def prepared_cursor(alias: str):
    """A Django cursor on ``alias`` whose statements are prepared (PostgreSQL), else Django's own."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or not settings.CAS_EDUCONNECT_PREPARED_STATEMENTS:
        return connection.cursor()
    # What BaseDatabaseWrapper._cursor() and the backend's create_cursor() do, with our cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    cursor_class = _preparing_class(type(raw))
    if cursor_class is None or connection.timezone != raw.adapters.get_loader(_TIMESTAMPTZ, _TEXT).timezone:
        return connection.cursor()  # another driver, or a time zone the backend sets per cursor
    with connection.wrap_database_errors:
        if raw.prepare_threshold is None:  # Django's "no prepared statements", which refuses ours too
            raw.prepare_threshold = ONLY_WHEN_ASKED
        return connection._prepare_cursor(cursor_class(raw))


class _Text:
    """What Django's ``last_executed_query`` reads of a psycopg query: its text."""

    __slots__ = ("query",)

    def __init__(self, query: bytes) -> None:
        self.query = query
