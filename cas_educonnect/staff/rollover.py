"""The school year rollover: run once when the year changes (``manage.py educonnect_rollover``).

What the guide (seed 004) asks at the change of year, and what the nightly AAF import
already does, decide what is left here:

- account states are not changed: accounts in use keep their identifier and chosen password
  (continuity of access, §1.4.1) and are shown in red from then on; accounts notified or
  activating in the closing year stay so until the 3-month purge (``educonnect_purge``) and must
  be notified again at the start of the year (§3.1, §4.1): they leave the « année courante »
  column. The import moves pupils, closes links and leavers; the purge deletes what expired.
- delegations: a delegation is the head's grant (§1.3 point 5, DELEG-CE); one whose granter
  no longer heads the school (heads change at the start of the year) is revoked.
- statistics: the access counts still in Redis are flushed to the database, so the closing
  year is complete, and the closing year's account statistics of each school are kept in the
  rollover's record (the live tables start counting the new year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cas_educonnect.core.locks import single_run
from cas_educonnect.models import Account, AccountKind, AccountState, Establishment
from cas_educonnect.staff import schoolyear, stats
from cas_educonnect.staff.models import Delegation, Role, SchoolYearRollover, StaffRole
from cas_educonnect.staff.schoolyear import SchoolYear


@dataclass
class RolloverReport:
    year: SchoolYear
    done: bool = False
    already_done: bool = False
    dry_run: bool = False
    flushed: int = 0
    schools: dict[str, dict] = field(default_factory=dict)
    delegations_revoked: list[int] = field(default_factory=list)


def _school_summary(school: Establishment, closing: SchoolYear, entering: SchoolYear) -> dict:
    tables = stats.compute(school, closing)
    accounts = Account.objects.filter(
        pk__in=stats.school_identifiers(school).values("pk"), kind__in=[AccountKind.PUPIL, AccountKind.REPRESENTATIVE]
    )
    return {
        "pupils": tables.school.pupil_row()[1:],
        "representatives": tables.school.rep_row()[1:],
        "carried_over": accounts.filter(schoolyear.carried_over_q(entering)).count(),
        "to_notify_again": accounts.filter(
            state__in=[AccountState.NOTIFIED, AccountState.ACTIVATING], notified_at__lt=entering.begins_at
        ).count(),
    }


def departed_heads_delegations():
    """Delegations in force whose granting head no longer heads their school."""
    heads = StaffRole.objects.filter(
        user=OuterRef("granted_by"), establishment=OuterRef("establishment"), role=Role.HEAD
    )
    return Delegation.objects.active().filter(~Exists(heads))


def rollover(year: SchoolYear | None = None, *, dry_run: bool = False, flush=None) -> RolloverReport:
    """Enter ``year`` (the current one): once only; ``flush()`` empties the access counters first."""
    year = year or schoolyear.current()
    report = RolloverReport(year, dry_run=dry_run)
    with single_run("educonnect_rollover"):
        if SchoolYearRollover.objects.filter(year=year.start).exists():
            report.already_done = True
            return report
        if flush is not None and not dry_run:
            report.flushed = flush()
        try:
            with transaction.atomic():
                record = SchoolYearRollover.objects.create(year=year.start)
                for school in Establishment.objects.order_by("uai"):
                    report.schools[school.uai] = _school_summary(school, year.previous, year)
                revoked = departed_heads_delegations()
                report.delegations_revoked = list(revoked.values_list("pk", flat=True))
                Delegation.objects.filter(pk__in=report.delegations_revoked).update(revoked_at=timezone.now())
                record.summary = {"schools": report.schools, "delegations_revoked": report.delegations_revoked}
                record.save(update_fields=["summary"])
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError:  # another run entered the year meanwhile
            report.already_done = True
            return report
    report.done = not dry_run
    return report
