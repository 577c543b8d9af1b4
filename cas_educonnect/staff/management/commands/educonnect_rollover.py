"""Enter the new school year, once: see ``cas_educonnect.staff.rollover`` for what it does."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.core.locks import ALREADY_RUNNING_EXIT, AlreadyRunning
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.counting import get_counter
from cas_educonnect.staff.rollover import rollover
from cas_educonnect.staff.schoolyear import SchoolYear


class Command(BaseCommand):
    help = (
        "Enter the current school year (CAS_EDUCONNECT_SCHOOL_YEAR, or the date and "
        "CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER), once: flush the access counters, keep each school's "
        "closing-year statistics, revoke delegations of heads who left their school. Account states "
        "are unchanged (continuity of access); a second run does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", help="School year to enter, e.g. 2026-2027 (default: the current one).")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be done.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        try:
            year = SchoolYear.parse(options["year"]) if options["year"] else schoolyear.current()
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            report = rollover(year, dry_run=options["dry_run"], flush=self.flush)
        except AlreadyRunning as exc:
            raise CommandError(str(exc), returncode=ALREADY_RUNNING_EXIT) from None
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "year": year.label,
                        "done": report.done,
                        "already_done": report.already_done,
                        "dry_run": report.dry_run,
                        "flushed": report.flushed,
                        "schools": report.schools,
                        "delegations_revoked": report.delegations_revoked,
                    }
                )
            )
            return
        if report.already_done:
            self.stdout.write(f"School year {year} was already entered: nothing done")
            return
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(f"School year {year}{' (dry run)' if report.dry_run else ''}")
        self.stdout.write(f"{report.flushed} access count(s) flushed from the counters")
        for uai, summary in report.schools.items():
            self.stdout.write(
                f"  {uai}: {summary['carried_over']} account(s) carried over, "
                f"{summary['to_notify_again']} to notify again"
            )
        self.stdout.write(f"{len(report.delegations_revoked)} delegation(s) of departed heads {verb} revoked")

    def flush(self) -> int:
        """The access counters first: the closing year must be complete (Redis out: stop, retry later)."""
        try:
            return get_counter().flush()
        except Exception as error:
            raise CommandError(f"access counters not flushed, nothing done: {error}") from error
