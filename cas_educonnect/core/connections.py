"""PostgreSQL connections as deployments configure them, with a health check that costs no round trip.

Django's health check (``CONN_HEALTH_CHECKS``) is a query before each request reuses a
connection: ``SELECT 1`` on a persistent connection, psycopg_pool's empty query on a pooled
one. Measured in a worker, a request with one query cost about 275 us of CPU with it and 205 us with
:func:`check_connection`, which the database engine :mod:`cas_educonnect.core.postgresql`
runs instead, on persistent and pooled connections alike.

It asks the socket first. A server that ends a connection (restart, failover, administrator
termination, idle timeout) says so on it: a notice, then end of file. The socket is then
readable, and the full check runs, fails, and a new connection is opened. An idle connection
whose socket has nothing to read and whose libpq state is good is used as is. What neither
check sees before use (a peer gone without a word) fails the request with or without the
query, which would wait for the same TCP timeout.
"""

from __future__ import annotations

import select
from typing import Any

from psycopg import pq
from psycopg_pool import ConnectionPool

#: The database engine running :func:`check_connection`.
ENGINE = "cas_educonnect.core.postgresql"


def check_connection(conn: Any) -> None:
    """Return if ``conn`` (an idle psycopg connection) is usable, raise otherwise."""
    pgconn = conn.pgconn
    if pgconn.status == pq.ConnStatus.OK and pgconn.transaction_status == pq.TransactionStatus.IDLE:
        try:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
            quiet = not poller.poll(0)
        except (OSError, ValueError):  # no socket (closed under us): let the full check say so
            quiet = False
        if quiet:
            return
    ConnectionPool.check_connection(conn)


def persistent(database: dict[str, Any], max_age: int = 300) -> dict[str, Any]:
    """``database`` (a ``DATABASES`` entry) kept open ``max_age`` seconds, checked by :func:`check_connection`."""
    if "postgresql" not in database.get("ENGINE", ""):
        return database
    return {**database, "ENGINE": ENGINE, "CONN_MAX_AGE": max_age, "CONN_HEALTH_CHECKS": True}


def pool_options(**overrides: Any) -> dict[str, Any]:
    """``OPTIONS["pool"]`` of a worker: 1 to 2 connections, a 10 s wait for one."""
    return {"min_size": 1, "max_size": 2, "timeout": 10, **overrides}


def pooled(database: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """``database`` (a ``DATABASES`` entry) served through psycopg's pool if it is PostgreSQL's.

    Unlike persistent connections, a request waits (up to ``timeout``) for a connection while
    PostgreSQL restarts instead of failing. The engine becomes :mod:`cas_educonnect.core.postgresql`,
    which checks each lent connection with :func:`check_connection`; ``CONN_HEALTH_CHECKS`` is
    off (Django would pass the pool its own check); ``CONN_MAX_AGE`` must be 0 with a pool.
    """
    if "postgresql" not in database.get("ENGINE", ""):
        return database
    options = {**database.get("OPTIONS", {}), "pool": pool_options(**overrides)}
    return {**database, "ENGINE": ENGINE, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "OPTIONS": options}
