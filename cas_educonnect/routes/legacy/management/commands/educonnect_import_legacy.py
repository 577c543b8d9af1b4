"""Import legacy CAS accounts ("Autres publics") from a CSV file; all or nothing, idempotent."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.routes.legacy.importer import OPTIONAL, REQUIRED, import_legacy


class Command(BaseCommand):
    help = "Import legacy CAS accounts with their password hashes. Columns: {} (required), {} (optional).".format(
        ", ".join(REQUIRED), ", ".join(OPTIONAL)
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file exported from the legacy directory.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, change nothing.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Summary format.")
        parser.add_argument("--encoding", default="utf-8-sig", help="File encoding (default UTF-8).")

    def handle(self, *args, **options):
        summary = import_legacy(options["file"], dry_run=options["dry_run"], encoding=options["encoding"])
        for error in summary.errors:
            self.stderr.write(error)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        else:
            prefix = "[dry run] " if summary.dry_run else ""
            self.stdout.write(
                f"{prefix}{summary.file}: {summary.created} created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, {summary.skipped_switched} skipped (switched), "
                f"{summary.linked} linked to the directory"
            )
        if summary.errors:
            raise CommandError(f"{len(summary.errors)} error(s): nothing was imported")
