"""Retention of the login-route records: ``educonnect_purge`` deletes them by whole months."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from freezegun import freeze_time

from cas_educonnect.accounts import lifecycle
from cas_educonnect.host.login import LoginRoute
from cas_educonnect.models import Account, AccountState
from cas_educonnect.staff.models import RouteLogin
from cas_educonnect.staff.retention import route_logins_cutoff

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 9, 20, 8, 0, tzinfo=PARIS)


def login_at(username: str, moment: datetime.datetime) -> RouteLogin:
    row = RouteLogin.objects.create(username=username, route=LoginRoute.PASSWORD)
    RouteLogin.objects.filter(pk=row.pk).update(at=moment)
    return row


def purge(*args: str) -> dict:
    out = StringIO()
    call_command("educonnect_purge", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def history():
    """Logins around the cut: 365 days before NOW is 20/09/2025, so the cut is 01/09/2025 00:00 Paris."""
    return {
        "august": login_at("a", datetime.datetime(2025, 8, 31, 23, 59, tzinfo=PARIS)),
        "first": login_at("b", datetime.datetime(2025, 9, 1, 0, 0, tzinfo=PARIS)),
        "older_than_a_year": login_at("c", datetime.datetime(2025, 9, 5, 12, 0, tzinfo=PARIS)),
        "recent": login_at("d", datetime.datetime(2026, 9, 19, 18, 0, tzinfo=PARIS)),
    }


def test_cutoff_is_the_first_of_the_month_of_the_retention_limit(settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    assert route_logins_cutoff(NOW) == datetime.datetime(2025, 9, 1, tzinfo=PARIS)
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 30
    assert route_logins_cutoff(NOW) == datetime.datetime(2026, 8, 1, tzinfo=PARIS)


def test_dry_run_counts_then_the_purge_deletes_whole_months_only(history, settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    with freeze_time(NOW):
        assert purge("--dry-run")["route_logins_deleted"] == 1
        assert RouteLogin.objects.count() == 4
        assert purge() == {"dry_run": False, "reset": [], "deleted": [], "route_logins_deleted": 1}
        # September 2025 stays whole, although the 5th is more than 365 days ago.
        assert set(RouteLogin.objects.values_list("username", flat=True)) == {"b", "c", "d"}
        assert purge()["route_logins_deleted"] == 0  # idempotent


def test_text_output_says_what_was_deleted(history, settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    out = StringIO()
    with freeze_time(NOW):
        call_command("educonnect_purge", stdout=out)
    assert "1 login-route record(s) older than 365 days were deleted" in out.getvalue()


def _refuse_deletes_of_route_logins() -> None:
    """A real database fault: a trigger refusing any DELETE on the table (no code is faked)."""
    table = RouteLogin._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f'CREATE TRIGGER refuse_purge BEFORE DELETE ON "{table}" BEGIN SELECT RAISE(ABORT, "refused"); END'
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_purge() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(f'CREATE TRIGGER refuse_purge BEFORE DELETE ON "{table}" EXECUTE FUNCTION refuse_purge()')


def test_the_purge_is_one_transaction(history, account_factory, settings):
    """If deleting the route records fails, the account purge of the same run is undone too."""
    settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS = 92
    late = account_factory()
    lifecycle.notify(late, now=NOW - datetime.timedelta(days=100))
    _refuse_deletes_of_route_logins()
    with freeze_time(NOW), pytest.raises(DatabaseError):
        purge()
    assert Account.objects.get(pk=late.pk).state == AccountState.NOTIFIED
    assert RouteLogin.objects.count() == 4
