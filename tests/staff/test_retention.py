"""Retention of the staff statistics records (login routes, access counts): purged by whole months."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from cas_server.models import ServicePattern
from django.core.management import call_command
from django.db import DatabaseError, connection, models
from freezegun import freeze_time

from cas_educonnect.accounts import lifecycle
from cas_educonnect.login.flow import LoginRoute
from cas_educonnect.models import Account, AccountState
from cas_educonnect.staff.models import RouteLogin, ServiceAccess
from cas_educonnect.staff.retention import purge_service_accesses, route_logins_cutoff, service_accesses_cutoff

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


@pytest.fixture
def accesses():
    """Monthly access counts around the same cut (September 2025, with 365 days)."""
    notes = ServicePattern.objects.create(name="Notes", pattern="^https://notes\\.example/", pos=1)
    rows = {
        ("a", datetime.date(2025, 7, 1)): 3,
        ("b", datetime.date(2025, 8, 1)): 1,
        ("a", datetime.date(2025, 9, 1)): 2,
        ("a", datetime.date(2026, 9, 1)): 5,
    }
    for (username, month), count in rows.items():
        ServiceAccess.objects.create(username=username, service_pattern=notes, month=month, count=count)
    return rows


def months_left() -> set[datetime.date]:
    return set(ServiceAccess.objects.values_list("month", flat=True))


def test_cutoff_is_the_first_of_the_month_of_the_retention_limit(settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    assert route_logins_cutoff(NOW) == datetime.datetime(2025, 9, 1, tzinfo=PARIS)
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 30
    assert route_logins_cutoff(NOW) == datetime.datetime(2026, 8, 1, tzinfo=PARIS)


def test_service_accesses_cutoff_is_the_month_of_the_retention_limit_in_local_time(settings):
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 365
    assert service_accesses_cutoff(NOW) == datetime.date(2025, 9, 1)
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 30
    # 30 days before 31/10 00:30 Paris is 01/10 00:30 Paris, still 30/09 in UTC.
    assert service_accesses_cutoff(datetime.datetime(2026, 10, 31, 0, 30, tzinfo=PARIS)) == datetime.date(2026, 10, 1)


def test_dry_run_counts_then_the_purge_deletes_whole_months_only(history, settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    with freeze_time(NOW):
        assert purge("--dry-run")["route_logins_deleted"] == 1
        assert RouteLogin.objects.count() == 4
        assert purge() == {
            "dry_run": False,
            "reset": [],
            "deleted": [],
            "route_logins_deleted": 1,
            "service_accesses_deleted": 0,
            "activation_codes_deleted": 0,
        }
        # September 2025 stays whole, although the 5th is more than 365 days ago.
        assert set(RouteLogin.objects.values_list("username", flat=True)) == {"b", "c", "d"}
        assert purge()["route_logins_deleted"] == 0  # idempotent


def test_text_output_says_what_was_deleted(history, settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    out = StringIO()
    with freeze_time(NOW):
        call_command("educonnect_purge", stdout=out)
    assert "1 login-route record(s) older than 365 days were deleted" in out.getvalue()


def test_access_counts_dry_run_then_purge_whole_months_only(accesses, settings):
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 365
    with freeze_time(NOW):
        assert purge("--dry-run")["service_accesses_deleted"] == 2
        assert ServiceAccess.objects.count() == 4
        assert purge()["service_accesses_deleted"] == 2
        # September 2025 stays, although most of it is more than 365 days ago.
        assert months_left() == {datetime.date(2025, 9, 1), datetime.date(2026, 9, 1)}
        assert ServiceAccess.objects.get(month=datetime.date(2025, 9, 1)).count == 2
        assert purge()["service_accesses_deleted"] == 0  # idempotent


def test_access_counts_have_their_own_delay(accesses, history, settings):
    settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS = 365
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 30
    with freeze_time(NOW):
        summary = purge()
    assert (summary["route_logins_deleted"], summary["service_accesses_deleted"]) == (1, 3)
    assert months_left() == {datetime.date(2026, 9, 1)}
    assert RouteLogin.objects.count() == 3


def test_access_purge_is_one_delete_query(accesses, settings, django_assert_num_queries):
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 365
    with django_assert_num_queries(1):
        assert purge_service_accesses(now=NOW) == 2
    with django_assert_num_queries(1):
        assert purge_service_accesses(dry_run=True, now=NOW) == 0


def test_text_output_counts_access_records(accesses, settings):
    settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS = 365
    out = StringIO()
    with freeze_time(NOW):
        call_command("educonnect_purge", "--dry-run", stdout=out)
    assert "2 monthly service access count(s) older than 365 days would be deleted" in out.getvalue()
    assert ServiceAccess.objects.count() == 4


def _refuse_deletes_of(model: type[models.Model]) -> None:
    """A real database fault: a trigger refusing any DELETE on the table (no code is faked)."""
    table = model._meta.db_table
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
    _refuse_deletes_of(RouteLogin)
    with freeze_time(NOW), pytest.raises(DatabaseError):
        purge()
    assert Account.objects.get(pk=late.pk).state == AccountState.NOTIFIED
    assert RouteLogin.objects.count() == 4


def test_a_failing_access_purge_undoes_the_rest_of_the_run(history, accesses, account_factory, settings):
    """The access counts go last: if they cannot be deleted, accounts and login routes are kept too."""
    settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS = 92
    late = account_factory()
    lifecycle.notify(late, now=NOW - datetime.timedelta(days=100))
    _refuse_deletes_of(ServiceAccess)
    with freeze_time(NOW), pytest.raises(DatabaseError):
        purge()
    assert Account.objects.get(pk=late.pk).state == AccountState.NOTIFIED
    assert RouteLogin.objects.count() == 4
    assert ServiceAccess.objects.count() == 4
