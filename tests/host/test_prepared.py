"""The SSO hot path's statements run prepared on PostgreSQL: planned once per connection, not at every ticket."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from cas_educonnect.core.prepared import prepared_cursor

from .conftest import SERVICE, login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://... (CI runs it): prepared statements are PostgreSQL's",
    ),
]


def prepared() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


@pytest.mark.parametrize("kept", [5000, 0])
def test_issuance_and_validation_statements_are_prepared_once(client, service_pattern, active_account, settings, kept):
    # With kept subjects (attributes.shared), the subject is read at login only and each
    # ticket's INSERT carries the digest check.
    settings.CAS_EDUCONNECT_SHARED_SUBJECTS = kept
    login(client, active_account.identifier, service=SERVICE)
    for _ in range(3):
        ticket = client.get("/cas/login", {"service": SERVICE})["Location"].split("ticket=")[1]
        body = client.get("/cas/p3/serviceValidate", {"ticket": ticket, "service": SERVICE}).content
        assert b"authenticationSuccess" in body
    runs = prepared()
    for start in ("WITH subject_account", "WITH touch AS", "WITH claimed AS"):
        counts = [count for statement, count in runs.items() if statement.startswith(start)]
        assert counts and max(counts) >= (1 if kept and start == "WITH subject_account" else 3), (start, runs)


def test_prepared_cursor_logs_its_queries_and_can_be_turned_off(settings, django_assert_num_queries):
    with django_assert_num_queries(1) as captured, prepared_cursor("default") as cursor:
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)
    assert captured.captured_queries[0]["sql"] == "SELECT %s::int + 1"
    assert any(statement.startswith("SELECT $1::int + 1") for statement in prepared())
    settings.CAS_EDUCONNECT_PREPARED_STATEMENTS = False
    with prepared_cursor("default") as cursor:
        cursor.execute("SELECT %s::int + 2", [40])
        assert cursor.fetchone() == (42,)
    assert not any(statement.startswith("SELECT $1::int + 2") for statement in prepared())
