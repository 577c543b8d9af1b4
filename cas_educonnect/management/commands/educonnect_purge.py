"""Purge expired notifications, unused accounts and old staff-statistics records; idempotent, safe from cron."""

from __future__ import annotations

import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cas_educonnect.accounts.purge import purge_accounts
from cas_educonnect.conf import settings
from cas_educonnect.core.locks import single_run_command


class Command(BaseCommand):
    help = (
        "Put accounts not activated in time back to 'not notified' (credentials destroyed), delete "
        "accounts unused for too long, and login-route records and service access counts past their "
        "retention, in one transaction. Delays: CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS / _UNUSED_DAYS / "
        "_ROUTE_LOGINS_DAYS / _SERVICE_ACCESSES_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be done.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    @single_run_command()
    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        now = timezone.now()
        with transaction.atomic():
            report = purge_accounts(dry_run=dry_run, now=now)
            records = self.purge_statistics_records(dry_run, now)
        if options["format"] == "json":
            summary = {
                "dry_run": dry_run,
                "reset": report.reset,
                "deleted": report.deleted,
                "activation_codes_deleted": report.codes_deleted,
            }
            self.stdout.write(json.dumps({**summary, **records}))
            return
        verb = "would be" if dry_run else "were"
        days = settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS
        self.stdout.write(f"{len(report.reset)} account(s) not activated {days} days after notification {verb} reset")
        for identifier in report.reset:
            self.stdout.write(f"  reset {identifier}")
        days = settings.CAS_EDUCONNECT_PURGE_UNUSED_DAYS
        self.stdout.write(f"{len(report.deleted)} account(s) unused for {days} days {verb} deleted")
        for identifier in report.deleted:
            self.stdout.write(f"  deleted {identifier}")
        self.stdout.write(f"{report.codes_deleted} expired activation code(s) {verb} deleted")
        if records["route_logins_deleted"] is not None:
            days = settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS
            count = records["route_logins_deleted"]
            self.stdout.write(f"{count} login-route record(s) older than {days} days {verb} deleted")
        if records["service_accesses_deleted"] is not None:
            days = settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS
            count = records["service_accesses_deleted"]
            self.stdout.write(f"{count} monthly service access count(s) older than {days} days {verb} deleted")

    def purge_statistics_records(self, dry_run: bool, now) -> dict[str, int | None]:
        """Rows deleted (or that would be) per kind; None when the staff app (their owner) is not installed."""
        if not apps.is_installed("cas_educonnect.staff"):
            return {"route_logins_deleted": None, "service_accesses_deleted": None}
        from cas_educonnect.staff.retention import purge_route_logins, purge_service_accesses

        return {
            "route_logins_deleted": purge_route_logins(dry_run=dry_run, now=now),
            "service_accesses_deleted": purge_service_accesses(dry_run=dry_run, now=now),
        }
