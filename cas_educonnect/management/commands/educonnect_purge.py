"""Purge expired notifications and unused accounts; idempotent, safe from cron."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from ...accounts.purge import purge_accounts
from ...conf import settings


class Command(BaseCommand):
    help = (
        "Put accounts not activated in time back to 'not notified' (credentials destroyed) and delete "
        "accounts unused for too long. Delays: CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS / _UNUSED_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be done.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        report = purge_accounts(dry_run=dry_run)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"dry_run": dry_run, "reset": report.reset, "deleted": report.deleted}))
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
