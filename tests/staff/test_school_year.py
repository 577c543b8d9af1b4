"""The school year: current year, carried-over accounts in red, the « année courante » column, the rollover."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cas_educonnect.checks import check_school_year
from cas_educonnect.models import Account, AccountState
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.models import Delegation, Role, SchoolYearRollover, StaffRole
from cas_educonnect.staff.schoolyear import SchoolYear

from .conftest import make_staff, verified_client


def aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize(
    ("today", "changeover", "expected"),
    [
        (datetime.date(2026, 7, 31), "08-01", "2025-2026"),
        (datetime.date(2026, 8, 1), "08-01", "2026-2027"),
        (datetime.date(2027, 1, 15), "08-01", "2026-2027"),
        (datetime.date(2026, 8, 20), "09-01", "2025-2026"),
    ],
)
def test_current_year_is_computed_from_the_changeover_day(settings, today, changeover, expected):
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = ""
    settings.CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER = changeover
    assert schoolyear.current(today).label == expected


def test_the_setting_wins_and_bad_values_are_refused(settings):
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2030-2031"
    assert schoolyear.current(datetime.date(2026, 12, 1)) == SchoolYear(2030)
    assert SchoolYear(2030).starts_on == datetime.date(2030, 8, 1)
    assert SchoolYear(2030).ends_on == datetime.date(2031, 7, 31)
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2030-2032"
    with pytest.raises(ImproperlyConfigured):
        schoolyear.current()
    assert [e.id for e in check_school_year()] == ["cas_educonnect.E060"]
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = ""
    settings.CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER = "02-30"
    with pytest.raises(ImproperlyConfigured):
        schoolyear.current()


@pytest.mark.django_db
def test_admin_header_names_the_current_year(client, head_a, settings):
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    verified_client(client, head_a)
    assert "2026-2027" in client.get(reverse("admin:index")).content.decode()


def carry_over(account, activated=(2025, 9, 10)):
    Account.objects.filter(pk=account.pk).update(state=AccountState.ACTIVE, activated_at=aware(*activated))
    return Account.objects.get(pk=account.pk)


@pytest.mark.django_db
def test_only_accounts_activated_before_the_year_are_carried_over(school_a, settings):
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    old = carry_over(school_a.rep_accounts[0])
    this_year = carry_over(school_a.rep_accounts[1], (2026, 9, 3))
    assert schoolyear.is_carried_over(old)
    assert not schoolyear.is_carried_over(this_year)
    assert not schoolyear.is_carried_over(school_a.rep_accounts[2])  # activating
    assert set(Account.objects.filter(schoolyear.carried_over_q())) == {old}


@pytest.mark.django_db
def test_notification_and_list_pages_show_only_carried_over_accounts_in_red(client, school_a, head_a, settings):
    """Seed 004 §3.1, §4.3: red marks continuity, not every account in use."""
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    old = carry_over(school_a.pupil_accounts[0])
    carry_over(school_a.pupil_accounts[1], (2026, 9, 3))  # activated this year: in use, not red
    verified_client(client, head_a)
    query = {"school": school_a.establishment.pk, "audience": "pupils", "divisions": [school_a.divisions[0].pk]}
    query["states"] = [AccountState.ACTIVE]
    rows = client.get(reverse("admin:educonnect_notify"), query).context["rows"]
    assert {r["account"].pk: r["carried_over"] for r in rows} == {old.pk: True, school_a.pupil_accounts[1].pk: False}
    html = client.get(reverse("admin:educonnect_notify"), query).content.decode()
    assert html.count('class="educonnect-carried-over"') == 1

    lists = client.get(
        reverse("admin:educonnect_lists"), {"school": school_a.establishment.pk, "division": school_a.divisions[0].pk}
    )
    assert [r["carried_over"] for r in lists.context["rows"]] == [True, False]
    changelist = client.get(reverse("admin:cas_educonnect_account_changelist")).content.decode()
    assert changelist.count("educonnect-carried-over") == 1


@pytest.mark.django_db
def test_statistics_count_representatives_notified_this_year(client, school_a, head_a, settings):
    """Seed 004 §5.2: « notifiés ou en cours d'activation année courante »."""
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    notified, activating = school_a.rep_accounts[1], school_a.rep_accounts[2]
    Account.objects.filter(pk=notified.pk).update(notified_at=aware(2026, 6, 20))  # last year
    Account.objects.filter(pk=activating.pk).update(notified_at=aware(2026, 9, 2))
    verified_client(client, head_a)
    sheets = client.get(reverse("admin:educonnect_stats"), {"school": school_a.establishment.pk}).context["sheets"]
    reps = sheets[1]["sections"][0]
    assert reps["rows"] == [["Collège Alpha", 4, 1, 2, 1, 1, 25.0, 25.0]]
    assert len(reps["headers"]) == 8


@pytest.mark.django_db
def test_rollover_runs_once_keeps_states_and_revokes_delegations_of_departed_heads(school_a, settings):
    settings.CAS_EDUCONNECT_SCHOOL_YEAR = "2026-2027"
    school = school_a.establishment
    head, former = make_staff("head.now", school), make_staff("head.former", school)
    agent = make_staff("agent.x", school, role=Role.AGENT)
    kept = Delegation.objects.create(granted_by=head, agent=agent, establishment=school)
    revoked = Delegation.objects.create(granted_by=former, agent=agent, establishment=school)
    StaffRole.objects.filter(user=former).delete()  # the former head left the school
    carry_over(school_a.pupil_accounts[3])
    Account.objects.filter(pk=school_a.rep_accounts[1].pk).update(notified_at=aware(2026, 6, 20))
    states = dict(Account.objects.values_list("pk", "state"))

    out = StringIO()
    call_command("educonnect_rollover", "--dry-run", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["delegations_revoked"] == [revoked.pk]
    assert not SchoolYearRollover.objects.exists() and Delegation.objects.active().count() == 2

    out = StringIO()
    call_command("educonnect_rollover", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["done"] and report["year"] == "2026-2027"
    summary = report["schools"][school.uai]
    assert summary["carried_over"] == 1 and summary["to_notify_again"] == 1
    assert summary["pupils"] == [4, 2, 1, 1, 25.0]
    assert list(Delegation.objects.active()) == [kept]
    assert dict(Account.objects.values_list("pk", "state")) == states
    assert SchoolYearRollover.objects.get(year=2026).summary["schools"][school.uai] == summary

    out = StringIO()
    call_command("educonnect_rollover", stdout=out)
    assert "already entered" in out.getvalue()
    assert SchoolYearRollover.objects.count() == 1
