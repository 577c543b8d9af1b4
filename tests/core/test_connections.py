"""The health check of cas_educonnect.core.connections on real PostgreSQL connections.

A connection the server ended must fail the check (a PostgreSQL restart is played end to end
in tests/cluster); a healthy idle one must pass it without a query.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from cas_educonnect.core import connections
from cas_educonnect.core.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="psycopg connections"),
]


@pytest.fixture
def conninfo():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return params


def open_connection(conninfo) -> psycopg.Connection:
    return psycopg.connect(**conninfo, autocommit=True)


def terminate(conninfo, victim: psycopg.Connection) -> None:
    with open_connection(conninfo) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [victim.info.backend_pid])
    time.sleep(0.2)  # the termination notice and the end of file reach the socket


def test_a_healthy_idle_connection_passes_without_a_query(conninfo, monkeypatch):
    def no_query(conn):
        raise AssertionError("the check sent a query")

    with open_connection(conninfo) as conn:
        conn.execute("SELECT 1")
        monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(no_query))
        connections.check_connection(conn)


def test_a_connection_the_server_ended_fails(conninfo):
    with open_connection(conninfo) as conn:
        conn.execute("SELECT 1")
        terminate(conninfo, conn)
        with pytest.raises(psycopg.OperationalError):
            connections.check_connection(conn)


def test_a_connection_in_a_transaction_is_asked_with_a_query(conninfo, monkeypatch):
    asked = []
    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(asked.append))
    with psycopg.connect(**conninfo) as conn:  # not autocommit: a transaction opens
        conn.execute("SELECT 1")
        connections.check_connection(conn)
    assert asked == [conn]


def test_the_engine_reports_an_ended_persistent_connection_unusable(conninfo, settings):
    database = connections.persistent(dict(settings.DATABASES["default"]))
    wrapper = DatabaseWrapper(database, alias="health-check")
    try:
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert wrapper.is_usable()
        terminate(conninfo, wrapper.connection)
        assert not wrapper.is_usable()
    finally:
        wrapper.close()


def test_the_settings_helpers_leave_other_databases_alone():
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    assert connections.persistent(sqlite) == sqlite
    assert connections.pooled(sqlite) == sqlite
    pooled = connections.pooled({"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": "disable"}})
    assert pooled["ENGINE"] == connections.ENGINE
    assert pooled["CONN_MAX_AGE"] == 0 and pooled["CONN_HEALTH_CHECKS"] is False
    assert pooled["OPTIONS"]["sslmode"] == "disable" and pooled["OPTIONS"]["pool"]["max_size"] == 2
